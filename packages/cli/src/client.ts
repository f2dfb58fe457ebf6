import { type ErrorBody, WhetError } from '@whetstone/core';

/** A thin client for the native API at WHET_URL (default http://127.0.0.1:7860). */
export class ApiClient {
  readonly base: string;
  private headers: Record<string, string>;

  constructor(url = process.env.WHET_URL ?? `http://127.0.0.1:${process.env.WHET_PORT ?? 7860}`, apiKey = process.env.WHET_API_KEY) {
    this.base = url.replace(/\/$/, '');
    this.headers = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, headers: { ...this.headers } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await this.fetch(path, init);
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const e = (json?.error ?? { code: 'INTERNAL', message: `HTTP ${res.status}`, hint: '' }) as ErrorBody;
      throw new WhetError(e.code, e.message, { hint: e.hint, line: e.line, field: e.field, details: e.details });
    }
    return json as T;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(`${this.base}/api/v1${path}`, { ...init, headers: { ...this.headers, ...(init.headers as Record<string, string>) } });
    } catch (e) {
      throw new WhetError('INTERNAL', `cannot reach the Whetstone server at ${this.base}: ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`, {
        hint: 'Start it with `npm start`, or point WHET_URL at a running server.',
      });
    }
  }

  get = <T>(path: string) => this.request<T>('GET', path);
  post = <T>(path: string, body?: unknown) => this.request<T>('POST', path, body ?? {});
  patch = <T>(path: string, body: unknown) => this.request<T>('PATCH', path, body);
  delete = <T>(path: string) => this.request<T>('DELETE', path);
}

/** Parse a Server-Sent Events response into {event, data} objects. */
export async function* readSse(res: Response): AsyncGenerator<{ event: string; data: string; id?: string }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let idx: number;
    while ((idx = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      let event = 'message';
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        else if (line.startsWith('id:')) id = line.slice(3).trim();
      }
      yield { event, data: data.join('\n'), id };
    }
  }
}
