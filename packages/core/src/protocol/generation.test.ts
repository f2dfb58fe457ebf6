import { describe, expect, it } from 'vitest';
import { GenerateLineSchema, GenerateRequestSchema, WorkerServeSpecSchema } from './generation.ts';
import { WorkerEventSchema } from './worker-events.ts';

describe('generation protocol', () => {
  it('fills request defaults and needs exactly one of messages or prompt', () => {
    const req = GenerateRequestSchema.parse({ prompt: 'Hi' });
    expect(req).toMatchObject({ adapter: null, max_tokens: 256, temperature: 1, top_p: 1, top_k: 0, stop: [], stream: true });
    expect(GenerateRequestSchema.safeParse({}).success).toBe(false);
    expect(GenerateRequestSchema.safeParse({ prompt: 'a', messages: [{ role: 'user', content: 'b' }] }).success).toBe(false);
    expect(GenerateRequestSchema.safeParse({ prompt: 'a', stop: ['1', '2', '3', '4', '5'] }).success).toBe(false);
    expect(GenerateRequestSchema.safeParse({ prompt: 'a', top_p: 0 }).success).toBe(false);
  });

  it('parses every stream line and the ready event', () => {
    const lines = ['{"type":"start","prompt_tokens":3}', '{"type":"delta","text":"é"}', '{"type":"done","finish_reason":"length","prompt_tokens":3,"completion_tokens":1}'];
    expect(lines.map((l) => GenerateLineSchema.parse(JSON.parse(l)).type)).toEqual(['start', 'delta', 'done']);
    expect(GenerateLineSchema.safeParse({ type: 'done', finish_reason: 'eos' }).success).toBe(false);
    const ready = WorkerEventSchema.parse({ type: 'ready', host: '127.0.0.1', port: 4100, model: '/m', adapters: ['a'] });
    expect(ready.type).toBe('ready');
  });

  it('serve spec defaults: loopback, free port, batch 16', () => {
    const spec = WorkerServeSpecSchema.parse({ version: 1, command: 'serve', model: { path: '/m' } });
    expect(spec).toMatchObject({ host: '127.0.0.1', port: 0, adapters: {}, max_batch_size: 16, device: 'auto', dtype: 'auto' });
  });
});
