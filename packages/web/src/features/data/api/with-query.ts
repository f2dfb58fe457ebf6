/**
 * Path params plus a query string for a typed call whose route reads its query by hand (no
 * validator, so the client's types do not list it); the client still sends `query`.
 */
export function withQuery<P>(param: P, query: Record<string, string>): { param: P } {
  return { param, query } as { param: P };
}
