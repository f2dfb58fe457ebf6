import type { Job } from '@whetstone/core';
import { type ApiClient, readSse } from './client.ts';
import { progressLine } from './format.ts';

/**
 * Stream a job's events until it stops, drawing a progress bar (step/total, loss, ETA) on a
 * terminal, or plain lines otherwise. Returns the job as it ended.
 */
export async function followJob(api: ApiClient, jobId: string, out: NodeJS.WriteStream = process.stdout): Promise<Job> {
  const tty = Boolean(out.isTTY);
  let last = 0;
  let lastPrinted = -1;
  let barShown = false;
  const clearBar = () => {
    if (tty && barShown) out.write('\r\x1b[2K');
    barShown = false;
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await api.fetch(`/jobs/${jobId}/events?after=${last}`, { headers: { accept: 'text/event-stream' } });
    if (!res.ok) break;
    let ended = false;
    for await (const msg of readSse(res)) {
      if (msg.id) last = Number(msg.id);
      if (msg.event === 'end') {
        ended = true;
        break;
      }
      if (msg.event === 'ping') continue;
      const e = JSON.parse(msg.data);
      if (e.type === 'progress') {
        let eta: number | null = null;
        try {
          eta = (await api.get<Job>(`/jobs/${jobId}`)).progress.eta_seconds;
        } catch {
          /* keep going without an ETA */
        }
        const line = progressLine({ step: e.step, total: e.total_steps, loss: e.loss, eta, epoch: e.epoch });
        if (tty) {
          out.write(`\r\x1b[2K${line}`);
          barShown = true;
        } else if (e.step === e.total_steps || e.step - lastPrinted >= Math.max(1, Math.floor(e.total_steps / 20))) {
          out.write(`${line}\n`);
          lastPrinted = e.step;
        }
      } else if (e.type === 'status') {
        clearBar();
        out.write(`status: ${e.status}${e.reason ? ` (${e.reason})` : ''}\n`);
      } else if (e.type === 'eval') {
        clearBar();
        out.write(`eval at step ${e.step}: eval_loss ${Number(e.eval_loss).toFixed(4)}\n`);
      } else if (e.type === 'error') {
        clearBar();
        out.write(`error ${e.code}: ${e.message}\n`);
      } else if (e.type === 'log' && e.level !== 'debug') {
        clearBar();
        out.write(`${e.message}\n`);
      } else if (e.type === 'checkpoint') {
        clearBar();
        out.write(`checkpoint at step ${e.step}\n`);
      }
    }
    if (ended) break;
  }
  clearBar();
  return api.get<Job>(`/jobs/${jobId}`);
}
