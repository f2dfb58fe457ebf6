import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

/** Minimal HTTP helpers for tests against a real server on 127.0.0.1. */
export function apiAt(base: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    get: (p: string) => call('GET', p),
    post: (p: string, b: unknown = {}) => call('POST', p, b),
    del: (p: string) => call('DELETE', p),
    async upload(file: string, fields: Record<string, string> = {}) {
      const form = new FormData();
      form.set('file', await openAsBlob(file), basename(file));
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      const res = await fetch(`${base}/api/v1/datasets`, { method: 'POST', body: form });
      return { status: res.status, body: await res.json() };
    },
    /** Read the SSE stream until the server ends it; returns every event. */
    async events(jobId: string, onEvent?: (e: any) => void, after = 0): Promise<any[]> {
      const res = await fetch(`${base}/api/v1/jobs/${jobId}/events?after=${after}`);
      const out: any[] = [];
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return out;
        buf += value;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1];
          const data = /^data: ?(.*)$/m.exec(block)?.[1];
          if (event === 'end') {
            await reader.cancel();
            return out;
          }
          if (!data || event === 'ping') continue;
          const e = JSON.parse(data);
          out.push(e);
          onEvent?.(e);
        }
      }
    },
    /** Poll until the job reaches one of the statuses. */
    async waitFor(jobId: string, statuses: string[], timeoutMs = 120_000) {
      const t0 = Date.now();
      for (;;) {
        const { body } = await call('GET', `/jobs/${jobId}`);
        if (statuses.includes(body.status)) return body;
        if (Date.now() - t0 > timeoutMs) throw new Error(`job ${jobId} still ${body.status} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}
