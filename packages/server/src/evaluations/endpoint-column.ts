import { isWhetError } from '@whetstone/core';
import { endpointGenerate, type EndpointParams, type EndpointTarget } from './endpoint-generate.ts';
import type { ChatTurn, TestRow } from './load-test-rows.ts';
import { mapBounded } from './map-bounded.ts';

export interface EndpointColumnOutput {
  predictions: (string | null)[];
  rowErrors: ({ code: string; message: string } | null)[];
}

/**
 * Answers for every test row from an OpenAI-compatible endpoint, `target.concurrency` requests
 * in flight at once (default 4). The few-shot turns go after a row's system message. A row whose
 * request fails keeps its error (prediction null) and the others go on; an endpoint that answers
 * nothing (refused, timed out, bad key) fails the whole column with
 * the first row's error: scheduling stops once `concurrency` rows have failed before any
 * answered, rather than waiting out every row. An aborted `signal` stops the scheduling and the
 * requests in flight.
 */
export async function endpointColumn(
  target: EndpointTarget & { concurrency?: number },
  rows: TestRow[],
  fewShot: ChatTurn[],
  params: EndpointParams,
  onProgress: (done: number) => void = () => {},
  signal?: AbortSignal,
): Promise<EndpointColumnOutput> {
  const limit = target.concurrency ?? 4;
  let ok = 0;
  let failed = 0;
  const settled = await mapBounded(
    rows,
    limit,
    (row) => {
      const system = row.messages[0]?.role === 'system' ? [row.messages[0]] : [];
      return endpointGenerate(target, [...system, ...fewShot, ...row.messages.slice(system.length)], params, signal);
    },
    {
      // A cancel sends no more requests (and aborts those in flight).
      stop: () => signal?.aborted === true || (ok === 0 && failed >= limit),
      onSettled: (_, r) => {
        if ('value' in r) ok++;
        else failed++;
        onProgress(ok + failed);
      },
    },
  );
  const first = settled.find((r) => 'error' in r) as { error: unknown } | undefined;
  if (ok === 0 && first) throw first.error;
  return {
    predictions: settled.map((r) => ('value' in r ? r.value : null)),
    rowErrors: settled.map((r) => ('value' in r ? null : 'error' in r ? rowError(r.error) : { code: 'ENDPOINT_FAILED', message: `not sent: the first ${limit} requests to ${target.baseUrl} failed` })),
  };
}

function rowError(e: unknown): { code: string; message: string } {
  if (isWhetError(e)) return { code: e.code, message: e.message };
  return { code: 'ENDPOINT_FAILED', message: (e as Error)?.message ?? String(e) };
}
