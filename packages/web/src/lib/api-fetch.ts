import { getApiKey, requestApiKey } from './api-key.ts';

/**
 * `fetch` for the API: adds the API key when there is one, and when the server answers 401
 * asks for a key (once, in the key dialog) and sends the request again with it. Gives back
 * the 401 when the person dismisses the dialog.
 */
export async function apiFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  let key = getApiKey();
  for (;;) {
    const headers = new Headers(init.headers);
    if (key) headers.set('authorization', `Bearer ${key}`);
    const res = await fetch(input, { ...init, headers });
    if (res.status !== 401) return res;
    const next = await requestApiKey(key ? 'rejected' : 'missing');
    if (!next) return res;
    await res.body?.cancel();
    key = next;
  }
}
