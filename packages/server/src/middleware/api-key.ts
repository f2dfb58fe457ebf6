import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { WhetError, type ApiKey, type ApiKeyRole } from '@whetstone/core';
import type { ApiKeyStore } from '../store/api-key-store.ts';
import { RateLimiter } from './rate-limiter.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The stored key that authenticated the request (absent for WHET_API_KEYS keys and open
 * servers) and the caller's role: `admin` for WHET_API_KEYS keys, the stored key's role, or
 * absent on an open server (loopback, no keys), where there is nothing to check.
 */
export type ApiKeyVariables = { apiKey?: ApiKey; role?: ApiKeyRole };

/**
 * Bearer-key check for /api/v1 and /v1, on whenever keys exist: WHET_API_KEYS (operator keys,
 * no rate limit) or keys created with POST /api/v1/keys (stored hashed, each with its own
 * requests-per-minute limit and role). Off loopback the server refuses to start without any (see
 * start-server).
 */
export function apiKeyAuth(keys: string[], store?: ApiKeyStore, opts: { required?: boolean } = {}): MiddlewareHandler<{ Variables: ApiKeyVariables }> {
  const hashes = keys.map(digest);
  const limiter = new RateLimiter();
  return async (c, next) => {
    if (c.req.path === '/api/v1/health') return next();
    // Off loopback a key is always required, even if every stored key was deleted meanwhile.
    if (!opts.required && hashes.length === 0 && (store?.count() ?? 0) === 0) return next();
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) throw new WhetError('UNAUTHORIZED', 'this server requires an API key');
    const secret = m[1]!.trim();
    const given = digest(secret);
    if (hashes.some((h) => timingSafeEqual(h, given))) {
      c.set('role', 'admin');
      return next();
    }
    const key = store?.verify(secret);
    if (!key) throw new WhetError('UNAUTHORIZED', 'the API key is not valid');
    if (key.rate_limit_per_minute !== null) limiter.take(key.id, key.rate_limit_per_minute);
    c.set('apiKey', key);
    c.set('role', key.role);
    return next();
  };
}
