import type { Context } from 'hono';
import type { ApiKeyVariables } from './api-key.ts';

/**
 * Who made this request, for records such as "cancelled by": the stored API key (name and id),
 * an operator key from WHET_API_KEYS, or the local user of a server that has no keys.
 */
export function callerName(c: Context<{ Variables: ApiKeyVariables }>): string {
  const key = c.get('apiKey');
  if (key) return `API key "${key.name}" (${key.id})`;
  if (c.get('role') === 'admin') return 'an operator key (WHET_API_KEYS)';
  return 'the local user (this server has no API keys)';
}
