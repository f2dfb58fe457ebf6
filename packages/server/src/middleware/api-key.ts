import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { WhetError } from '@whetstone/core';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Bearer-key check, on whenever keys are configured (and always off loopback, see start-server). */
export function apiKeyAuth(keys: string[]): MiddlewareHandler {
  const hashes = keys.map(digest);
  return async (c, next) => {
    if (hashes.length === 0 || c.req.path === '/api/v1/health') return next();
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    const given = m ? digest(m[1]!.trim()) : null;
    if (!given || !hashes.some((h) => timingSafeEqual(h, given))) {
      throw new WhetError('UNAUTHORIZED', m ? 'the API key is not valid' : 'this server requires an API key');
    }
    return next();
  };
}
