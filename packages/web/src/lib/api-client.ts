import { hc, type ClientResponse } from 'hono/client';
import { apiFetch } from './api-fetch.ts';
import { errorFromResponse, networkError } from './api-error.ts';
import type { ApiType } from './api-type.ts';

/** The typed client of the native API (`/api/v1`), same origin, with the key when needed. */
export const api = hc<ApiType>(window.location.origin, { fetch: apiFetch }).api.v1;

type Success = 200 | 201 | 202;
/** The JSON body of a call's successful answers. */
export type Ok<R> = R extends ClientResponse<infer T, infer S, 'json'> ? (S extends Success ? T : never) : never;

/**
 * Await a typed call: its JSON body when the answer is 2xx, else an ApiError with the server's
 * code, message and hint (NETWORK when the server could not be reached).
 */
export async function unwrap<R extends ClientResponse<unknown, number, string>>(call: Promise<R>): Promise<Ok<R>> {
  let res: R;
  try {
    res = await call;
  } catch (e) {
    throw networkError(e);
  }
  if (!res.ok) throw await errorFromResponse(res as unknown as Response);
  return (await res.json()) as Ok<R>;
}
