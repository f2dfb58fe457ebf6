import type { Context } from 'hono';
import { isWhetError, WhetError } from '@whetstone/core';
import type { Gateway, GatewayRequest, OpenGeneration } from '../deployments/gateway.ts';

export interface StartedGeneration {
  gen: OpenGeneration;
  /** Abort the generation (client gone) and free its queue slot. */
  cancel(): Promise<void>;
}

/**
 * Open a generation tied to the HTTP request: when the client's connection closes, the
 * generation is aborted, which closes the backend request and frees its batch slot.
 */
export async function startGeneration(c: Context, gateway: Gateway, model: string, request: GatewayRequest): Promise<StartedGeneration> {
  const abort = new AbortController();
  const clientSignal = c.req.raw.signal;
  const onClientGone = () => abort.abort(clientGone());
  if (clientSignal?.aborted) onClientGone();
  clientSignal?.addEventListener('abort', onClientGone, { once: true });
  let gen: OpenGeneration;
  try {
    gen = await gateway.open(model, request, abort.signal);
  } catch (e) {
    // Nobody is left to read an answer; say so plainly instead of logging a 500.
    if (abort.signal.aborted && !isWhetError(e)) throw new WhetError('INVALID_REQUEST', 'the client closed the connection before the generation started');
    throw e;
  }
  return {
    gen,
    async cancel() {
      if (!abort.signal.aborted) abort.abort(clientGone());
      await gen.close();
    },
  };
}

/**
 * Why a generation was aborted when its client left. It rejects whatever still awaits the
 * generation (a plain answer being collected), so it is an error value like any refusal: the
 * handler answers a socket nobody reads, and logs nothing as a server fault.
 */
const clientGone = () => new WhetError('INVALID_REQUEST', 'the client closed the connection before the answer was complete');

/** OpenAI-style ids: `chatcmpl-` / `cmpl-` and 24 random characters. */
export const completionId = (prefix: string) => `${prefix}-${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;
