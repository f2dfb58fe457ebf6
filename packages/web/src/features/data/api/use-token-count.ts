import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TokenCountRequest } from '@whetstone/core';
import { api, unwrap, type Ok } from '../../../lib/api-client.ts';

export type TokenCount = Ok<Awaited<ReturnType<(typeof api.tokens)['$post']>>>;

/**
 * The count for one request (`POST /api/v1/tokens`), or nothing while `body` is null. The last
 * count stays shown while the next one is asked for, so the numbers do not flicker as one types.
 */
export function useTokenCount(body: TokenCountRequest | null) {
  return useQuery({
    queryKey: ['data', 'tokens', body],
    queryFn: () => unwrap(api.tokens.$post({ json: body! })),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: Infinity,
  });
}
