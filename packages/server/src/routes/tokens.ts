import { Hono } from 'hono';
import { TokenCountRequestSchema } from '@whetstone/core';
import { countChatTokens, encodeText, loadTokenizer } from '@whetstone/data';
import type { AppContext } from '../context.ts';
import { modelTokenizerDir } from '../datasets/model-tokenizer-dir.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';

/** The token calculator: how many tokens a text or a chat is for a model, with its own tokenizer. */
export function tokenRoutes(ctx: AppContext) {
  return new Hono().post('/tokens', async (c) => {
    const body = await parseJsonBody(c, TokenCountRequestSchema);
    const { model, dir } = modelTokenizerDir(ctx, body.model);
    const tok = loadTokenizer(dir);
    const modelRef = { id: model.id, name: model.name, context_length: model.context_length };
    if (body.messages) {
      const r = countChatTokens(tok, body.messages, { addGenerationPrompt: body.add_generation_prompt });
      return c.json({ model: modelRef, count: r.count, characters: [...r.text].length, chat_template: r.templated });
    }
    const text = body.text!;
    const characters = [...text].length;
    if (body.return_tokens) {
      const enc = encodeText(text, dir, { addSpecialTokens: body.add_special_tokens });
      return c.json({ model: modelRef, count: enc.count, characters, tokens: enc.tokens, ids: enc.ids });
    }
    return c.json({ model: modelRef, count: tok.count(text, body.add_special_tokens ?? false), characters });
  });
}
