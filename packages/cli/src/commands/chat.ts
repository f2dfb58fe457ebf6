import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { WhetError } from '@whetstone/core';
import { readSse, type ApiClient } from '../client.ts';
import { parseLabelsOption } from '../parse-labels.ts';

type Message = { role: 'system' | 'user' | 'assistant'; content: string };

/** Stream one answer from /v1/chat/completions to stdout; returns the whole text. */
async function streamAnswer(client: ApiClient, body: Record<string, unknown>, write: (s: string) => void): Promise<string> {
  const res = await fetch(`${client.base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(process.env.WHET_API_KEY ? { authorization: `Bearer ${process.env.WHET_API_KEY}` } : {}) },
    body: JSON.stringify({ ...body, stream: true }),
  });
  if (!res.ok) {
    const e = ((await res.json().catch(() => null)) as { error?: { message?: string; code?: string; hint?: string } } | null)?.error;
    throw new WhetError(res.status === 404 ? 'MODEL_NOT_FOUND' : 'INVALID_REQUEST', e?.message ?? `HTTP ${res.status}`, { hint: e?.hint });
  }
  let text = '';
  for await (const ev of readSse(res)) {
    if (ev.data === '[DONE]') break;
    const chunk = JSON.parse(ev.data) as { choices?: { delta?: { content?: string } }[]; error?: { message: string } };
    if (chunk.error) throw new WhetError('GENERATION_FAILED', chunk.error.message);
    const piece = chunk.choices?.[0]?.delta?.content ?? '';
    text += piece;
    write(piece);
  }
  return text;
}

/** `whet chat MODEL [MESSAGE]`: one answer, or a conversation on stdin when no message is given. */
export function chatCommand(program: Command, api: () => ApiClient) {
  program
    .command('chat <model> [message]')
    .description('Chat with a model or deployment through the OpenAI-compatible API (streams the answer)')
    .option('--system <text>', 'a system prompt')
    .option('--temperature <t>', 'sampling temperature (0 = greedy)', (v) => Number(v), 0.7)
    .option('--max-tokens <n>', 'most tokens per answer', (v) => Number(v), 256)
    .option('--labels <list>', 'answer with one of these labels: comma-separated, "model" (its remembered set) or "none" (off)', parseLabelsOption)
    .action(async (model: string, message: string | undefined, o) => {
      const client = api();
      const history: Message[] = o.system ? [{ role: 'system', content: o.system }] : [];
      const ask = async (content: string) => {
        history.push({ role: 'user', content });
        const answer = await streamAnswer(client, { model, messages: history, temperature: o.temperature, max_tokens: o.maxTokens, labels: o.labels }, (s) => process.stdout.write(s));
        process.stdout.write('\n');
        history.push({ role: 'assistant', content: answer });
      };
      if (message !== undefined) return ask(message);
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
      try {
        for (;;) {
          const line = await rl.question(process.stdin.isTTY ? '> ' : '').catch(() => null);
          if (line === null || line.trim() === '/exit') break;
          if (line.trim()) await ask(line);
        }
      } finally {
        rl.close();
      }
    });
}
