import { createHmac } from 'node:crypto';
import type { Job, JobFinishedWebhook } from '@whetstone/core';
import { logger } from '../logger.ts';
import type { JobWebhookTarget } from '../store/settings-store.ts';

export interface JobWebhookDeps {
  /** The webhook an admin set (read at each job end, so a change applies at once), or null. */
  target(): JobWebhookTarget | null;
  /** A line in the job's own log (GET /jobs/:id/logs). */
  note(jobId: string, level: 'info' | 'warn', message: string): void;
  /** Waits between tries: one entry per retry (default 1 s, then 4 s: three tries in all). */
  retryDelaysMs?: number[];
  /** Per try (default 10 s). */
  timeoutMs?: number;
}

/** The signature header's value: `sha256=` and the hex HMAC-SHA256 of the exact body bytes. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * Tells an outside service that a job ended: a JSON POST `{event: "job.finished", job, console_url}`
 * to the admin's job_webhook_url, signed when a secret is set. Runs in the background (the
 * scheduler never waits for it), tries up to three times with growing waits, and reports every
 * try in the server log and in the job's log, which names only the webhook's origin: its path
 * may hold a token, and members read job logs.
 */
export class JobWebhook {
  /** Where console links point: WHET_PUBLIC_URL, else the address the server listens on (set once it does). */
  consoleBase: string;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly deps: JobWebhookDeps,
    consoleBase: string,
  ) {
    this.consoleBase = consoleBase;
  }

  /** Called by the scheduler when a job reaches succeeded, failed or cancelled. */
  jobFinished(job: Job) {
    const target = this.deps.target();
    if (!target) return;
    const p = this.deliver(job, target).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Resolves once every delivery under way has ended (tests, shutdown). */
  async idle() {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private async deliver(job: Job, target: JobWebhookTarget) {
    const payload: JobFinishedWebhook = {
      event: 'job.finished',
      job: {
        id: job.id,
        name: job.name,
        status: job.status as JobFinishedWebhook['job']['status'],
        model_id: job.model_id,
        output_model_id: job.output_model_id,
        error: job.error,
        started_at: job.started_at,
        finished_at: job.finished_at,
      },
      console_url: `${this.consoleBase}/jobs/${encodeURIComponent(job.id)}`,
    };
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'whetstone-webhook' };
    if (target.secret) headers['x-whet-signature'] = signBody(target.secret, body);
    const origin = new URL(target.url).origin;
    const delays = this.deps.retryDelaysMs ?? [1000, 4000];
    const tries = delays.length + 1;
    for (let attempt = 1; attempt <= tries; attempt++) {
      const failure = await this.post(target.url, headers, body);
      const where = { job: job.id, status: job.status, webhook: origin, attempt, tries };
      if (failure === null) {
        logger.info('job webhook delivered', where);
        this.note(job.id, 'info', `webhook: job.finished delivered to ${origin} (try ${attempt} of ${tries})`);
        return;
      }
      const last = attempt === tries;
      logger.warn('job webhook try failed', { ...where, error: failure });
      this.note(
        job.id,
        'warn',
        last
          ? `webhook: job.finished not delivered to ${origin}: ${failure} on the last of ${tries} tries; check the URL in Settings > Notifications`
          : `webhook: try ${attempt} of ${tries} to ${origin} failed (${failure}); trying again in ${delays[attempt - 1]! / 1000} s`,
      );
      if (!last) await new Promise((r) => setTimeout(r, delays[attempt - 1]).unref());
    }
  }

  /** One try: null when the receiver answered 2xx, else what went wrong. */
  private async post(url: string, headers: Record<string, string>, body: string): Promise<string | null> {
    const timeoutMs = this.deps.timeoutMs ?? 10_000;
    try {
      // Redirects are not followed: the body would go somewhere the admin did not name.
      const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel();
      return res.ok ? null : `HTTP ${res.status}`;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (err.cause?.code ?? err.message);
    }
  }

  private note(jobId: string, level: 'info' | 'warn', message: string) {
    try {
      this.deps.note(jobId, level, message);
    } catch (e) {
      logger.warn('cannot add the webhook line to the job log', { job: jobId, error: String(e) }); // job deleted, or the store closed at shutdown
    }
  }
}
