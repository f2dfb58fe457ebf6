import { isEvaluationFinished, type Evaluation } from '@whetstone/core';
import { type ApiClient, readSse } from './client.ts';


/** `[####......] 9/20 answers  tiny done, prompting 1/10` : every column's rows, one bar. */
export function evaluationProgressLine(e: Evaluation, width = 28): string {
  const done = e.models.reduce((n, m) => n + (m.status === 'succeeded' || m.status === 'failed' ? m.progress.total : m.progress.done), 0);
  const total = e.models.reduce((n, m) => n + m.progress.total, 0);
  const filled = total ? Math.round(Math.min(1, done / total) * width) : 0;
  const running = e.models.filter((m) => m.status === 'running').map((m) => `${m.label} ${m.progress.done}/${m.progress.total}`);
  const judging = e.judge?.status === 'running' ? `  judge ${e.judge.progress.done}/${e.judge.progress.total}` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total || '?'} answers${running.length ? `  ${running.join(', ')}` : ''}${judging}`;
}

/**
 * Follow an evaluation over its event stream (/evaluations/:id/events: the evaluation now, then
 * after every change) until it finishes: a progress bar redrawn in place on a terminal, a line per
 * change otherwise, and a line whenever a column finishes or fails. A dropped stream is opened
 * again (it starts with the current state, so nothing is lost). Returns the evaluation as it ended.
 */
export async function followEvaluation(api: ApiClient, id: string, out: NodeJS.WriteStream = process.stdout): Promise<Evaluation> {
  const tty = Boolean(out.isTTY);
  let barShown = false;
  let lastLine = '';
  const finished = new Map<number, string>();
  const clearBar = () => {
    if (tty && barShown) out.write('\r\x1b[2K');
    barShown = false;
  };
  let current = null as Evaluation | null; // set inside readStream
  for (let attempt = 0; attempt < 5 && !(current && isEvaluationFinished(current.status)); attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 500));
    try {
      const res = await api.fetch(`/evaluations/${id}/events`, { headers: { accept: 'text/event-stream' } });
      if (!res.ok) break;
      await readStream(res);
    } catch {
      // dropped (server restarting, network): open it again
    }
  }
  clearBar();
  return api.get<Evaluation>(`/evaluations/${id}`);

  async function readStream(res: Response): Promise<void> {
    for await (const msg of readSse(res)) {
      if (msg.event !== 'evaluation') continue;
      const e = JSON.parse(msg.data) as Evaluation;
      current = e;
      for (const [i, m] of e.models.entries()) {
        if (isEvaluationFinished(m.status) && finished.get(i) !== m.status) {
          finished.set(i, m.status);
          clearBar();
          out.write(
            m.status === 'failed'
              ? `${m.label}: failed (${m.error?.code ?? 'error'})\n`
              : m.status === 'cancelled'
                ? `${m.label}: cancelled at ${m.progress.done}/${m.progress.total}\n`
                : `${m.label}: done${m.failed_rows ? `, ${m.failed_rows} rows failed` : ''}\n`,
          );
        }
      }
      const line = evaluationProgressLine(e);
      if (line !== lastLine) {
        if (tty) {
          out.write(`\r\x1b[2K${line}`);
          barShown = true;
        } else {
          out.write(`${line}\n`);
        }
        lastLine = line;
      }
      if (isEvaluationFinished(e.status)) break;
    }
  }
}
