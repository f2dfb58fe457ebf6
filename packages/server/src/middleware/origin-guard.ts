import type { MiddlewareHandler } from 'hono';
import { WhetError } from '@whetstone/core';
import { hostName } from './host-guard.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a browser's Origin is the request's own origin (scheme default ports folded) or a host in WHET_ALLOWED_HOSTS. */
export function originAllowed(origin: string, host: string, allowedHosts: string[]): boolean {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file: pages, some redirects) and anything unparsable
  }
  if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
  if (allowedHosts.map(hostName).includes(hostName(o.host))) return true;
  try {
    return new URL(`${o.protocol}//${host}`).host === o.host;
  } catch {
    return false;
  }
}

/**
 * Refuse requests that a web page on another site sent (403 ORIGIN_NOT_ALLOWED): any method
 * with `Sec-Fetch-Site: cross-site` (except a navigation), and state-changing ones (POST, PUT,
 * PATCH, DELETE) with `Origin: null` or an Origin
 * that is neither this server's own origin (the console) nor a host in WHET_ALLOWED_HOSTS.
 * Requests without an Origin (curl, SDKs, the CLI) pass: browsers always send one on these
 * methods. No CORS headers are ever added, so other origins cannot read answers either.
 */
export function originGuard(opts: { allowedHosts: string[] }): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    // Fetch metadata: a page on another site made this request (a link the user clicked is a
    // navigation, and may open the console). This also stops cross-site GETs that start work.
    const crossSite = c.req.header('sec-fetch-site')?.toLowerCase() === 'cross-site' && c.req.header('sec-fetch-mode')?.toLowerCase() !== 'navigate';
    if (!crossSite && !STATE_CHANGING.has(c.req.method)) return next();
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (crossSite || (origin !== undefined && !originAllowed(origin, host, opts.allowedHosts))) {
      throw new WhetError('ORIGIN_NOT_ALLOWED', `${c.req.method} ${c.req.path} from the web page at ${origin ?? `a cross-site page`} is refused: only the console's own origin (${host}) may change state from a browser`);
    }
    return next();
  };
}
