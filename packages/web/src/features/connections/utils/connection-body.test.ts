import { ConnectionCreateSchema } from '@whetstone/core';
import { describe, expect, it } from 'vitest';
import { connectionBody, type ConnectionForm } from './connection-body.ts';

const form: ConnectionForm = { name: ' openai ', baseUrl: 'https://api.openai.com/v1 ', model: '', keySource: 'stored', apiKey: 'sk-1', apiKeyEnv: 'OPENAI_KEY' };

describe('connectionBody', () => {
  it('sends the typed key only when the key is typed, and leaves an empty model out', () => {
    const body = connectionBody(form);
    expect(body).toEqual({ name: 'openai', base_url: 'https://api.openai.com/v1', api_key: 'sk-1' });
    expect(ConnectionCreateSchema.safeParse(body).success).toBe(true);
  });

  it('names the variable only when the key comes from the environment', () => {
    expect(connectionBody({ ...form, keySource: 'env', model: ' gpt-4o ' })).toEqual({ name: 'openai', base_url: 'https://api.openai.com/v1', model: 'gpt-4o', api_key_env: 'OPENAI_KEY' });
  });

  it('sends no key at all for an endpoint without one', () => {
    const body = connectionBody({ ...form, keySource: 'none' });
    expect('api_key' in body || 'api_key_env' in body).toBe(false);
  });
});
