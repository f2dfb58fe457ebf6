import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ApiClient } from '../client.ts';
import { print } from '../output.ts';
import { readStdin } from '../read-stdin.ts';

interface TokenCount {
  model: { id: string; name: string };
  count: number;
  characters: number;
  tokens?: string[];
  chat_template?: boolean;
}

/** `whet tokens --model M "text"`: the token calculator. */
export function tokensCommand(program: Command, api: () => ApiClient) {
  program
    .command('tokens [text...]')
    .description("Count tokens of a text (or a chat) with a model's own tokenizer; reads stdin when no text is given")
    .requiredOption('--model <model>', 'model id or name')
    .option('--file <path>', 'count the text of a file')
    .option('--chat <path>', 'count a JSON array of {role, content} messages as the chat template renders them')
    .option('--special', 'add the special tokens the tokenizer adds around a text (BOS/EOS)')
    .option('--show', 'print the tokens')
    .option('--json', 'print JSON')
    .action(async (words: string[], o) => {
      const body: Record<string, unknown> = { model: o.model };
      if (o.chat) body.messages = JSON.parse(readFileSync(o.chat, 'utf8'));
      else {
        body.text = o.file ? readFileSync(o.file, 'utf8') : words.length ? words.join(' ') : (await readStdin('Give the text as arguments, --file PATH, --chat PATH, or pipe it in.'));
        if (o.special) body.add_special_tokens = true;
        if (o.show) body.return_tokens = true;
      }
      const r = await api().post<TokenCount>('/tokens', body);
      print(r, o, (v) => {
        const head = `${v.count} tokens (${v.characters} characters) with ${v.model.name}${v.chat_template ? ', chat template included' : ''}`;
        return v.tokens ? `${head}\n${v.tokens.map((t) => JSON.stringify(t)).join(' ')}` : head;
      });
    });
}

