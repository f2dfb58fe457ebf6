import type { MiddlewareHandler } from 'hono';
import { WhetError, type ApiKeyRole } from '@whetstone/core';
import type { ApiKeyVariables } from './api-key.ts';

/** Each role may do what the roles below it may: inference < member < admin. */
const RANK: Record<ApiKeyRole, number> = { inference: 0, member: 1, admin: 2 };

/** The calls an app's `inference` key may make: OpenAI's chat, completions and models (and health, which needs no key). */
const INFERENCE_CALLS: [method: string, path: RegExp][] = [
  ['POST', /^\/v1\/chat\/completions$/],
  ['POST', /^\/v1\/completions$/],
  ['GET', /^\/v1\/models(\/.+)?$/],
  ['GET', /^\/api\/v1\/health$/],
];

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * The least role a request needs. `admin`: key management, changing connections (outside
 * endpoints and their secrets), settings (the job webhook and its secret), and any `?force=true`; `inference`: the calls above; `member`:
 * everything else. Paths are compared lower-cased with repeated and trailing slashes folded,
 * so a spelling the router might still accept never slips into a weaker rule.
 */
export function requiredRole(method: string, path: string, force: string[] = []): ApiKeyRole {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const p = path.toLowerCase().replace(/\/{2,}/g, '/').replace(/(.)\/+$/, '$1');
  if (under(p, '/api/v1/keys')) return 'admin';
  if (under(p, '/api/v1/settings')) return 'admin';
  if (under(p, '/api/v1/connections') && m !== 'GET') return 'admin';
  if (force.some((v) => v !== 'false' && v !== '0')) return 'admin';
  if (INFERENCE_CALLS.some(([cm, re]) => cm === m && re.test(p))) return 'inference';
  return 'member';
}

const HINTS: Partial<Record<ApiKeyRole, string>> = {
  admin:
    'Key management, connections, settings and ?force=true need an admin key. The operator keys in WHET_API_KEYS are admins; an admin creates more with POST /api/v1/keys {"role": "admin"}. Keys made before roles existed are members.',
  member: 'Inference keys may only call POST /v1/chat/completions, POST /v1/completions and GET /v1/models; ask an admin for a member key for anything else.',
};

/**
 * Refuse a call the caller's role does not allow (403 FORBIDDEN, naming both roles). Runs
 * after apiKeyAuth, which sets the role; an open server (loopback, no keys) has none to check.
 */
export function requireRole(): MiddlewareHandler<{ Variables: ApiKeyVariables }> {
  return async (c, next) => {
    const role = c.get('role');
    if (!role) return next();
    const needed = requiredRole(c.req.method, c.req.path, c.req.queries('force') ?? []);
    if (RANK[role] < RANK[needed]) {
      const who = c.get('apiKey')?.id ?? 'this key';
      throw new WhetError('FORBIDDEN', `API key ${who} has the role "${role}"; ${c.req.method} ${c.req.path} needs the role "${needed}"`, {
        hint: HINTS[needed],
      });
    }
    return next();
  };
}
