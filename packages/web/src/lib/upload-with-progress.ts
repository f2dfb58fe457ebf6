import { getApiKey, requestApiKey } from './api-key.ts';
import { errorFromResponse, networkError } from './api-error.ts';

/**
 * POST a multipart form with upload progress (fetch cannot report it; XMLHttpRequest can).
 * Carries the API key, asks for one on 401 like every other call, and resolves with the JSON
 * body of a 2xx answer or rejects with the server's error (ApiError).
 */
export async function uploadWithProgress(url: string, form: FormData, onProgress: (loaded: number, total: number) => void, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
  let key = getApiKey();
  for (;;) {
    const res = await send(url, form, key, onProgress, signal);
    if (res.status === 401) {
      const next = await requestApiKey(key ? 'rejected' : 'missing');
      if (next) {
        key = next;
        continue;
      }
    }
    if (res.status < 200 || res.status >= 300) throw await errorFromResponse(new Response(res.text, { status: res.status, headers: { 'content-type': 'application/json' } }));
    try {
      return { status: res.status, body: JSON.parse(res.text) };
    } catch (e) {
      throw networkError(e);
    }
  }
}

function send(url: string, form: FormData, key: string | null, onProgress: (loaded: number, total: number) => void, signal?: AbortSignal): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (key) xhr.setRequestHeader('authorization', `Bearer ${key}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(networkError(new Error(`upload to ${url} failed`)));
    xhr.onabort = () => reject(networkError(new Error('upload cancelled')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
