import type { ConnectionCreate } from '@whetstone/core';

/** Where the new connection's key comes from: typed here (stored on the server), a server variable, or none. */
export type KeySource = 'stored' | 'env' | 'none';

export interface ConnectionForm {
  name: string;
  baseUrl: string;
  model: string;
  keySource: KeySource;
  apiKey: string;
  apiKeyEnv: string;
}

/** The create body: trimmed fields, empty ones left out, and only the chosen key source sent. */
export function connectionBody(f: ConnectionForm): ConnectionCreate {
  const model = f.model.trim();
  return {
    name: f.name.trim(),
    base_url: f.baseUrl.trim(),
    ...(model ? { model } : {}),
    ...(f.keySource === 'stored' ? { api_key: f.apiKey } : {}),
    ...(f.keySource === 'env' ? { api_key_env: f.apiKeyEnv.trim() } : {}),
  };
}
