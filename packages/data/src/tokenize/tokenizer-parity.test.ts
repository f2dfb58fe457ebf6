import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { REPO_ROOT, VENV_PYTHON } from '../../../../test-support/paths.ts';
import { countTokens, encodeText, loadTokenizer } from './load-tokenizer.ts';
import { ConversationTokenCounter } from './conversation-tokens.ts';
import { tempDir } from '../testing/temp-dir.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const hasPython = existsSync(VENV_PYTHON);
const DEMO_TOKENIZER = join(REPO_ROOT, '.cache', 'demo-model', 'SmolLM2-135M-Instruct', 'tokenizer.json');

/** Texts that exercise the pre-tokenizer and merges: scripts, emoji, spacing, contractions, special tokens. */
function corpus(): string[] {
  const texts = [
    'Hello world',
    "It's the model's job; they'll see. don't",
    '  leading and trailing spaces  ',
    'tabs\tand\nnewlines\n\n\nand  double  spaces',
    '数据工程：每一种常见的数据集格式。',
    '中英混合 mixed 文本 text 123 4567 89.5%',
    'emoji 😀🎉👍🏽 and ZWJ 👨‍👩‍👧',
    'accents: café naïve Ærøskøbing ß',
    '<|im_start|>user\nhi<|im_end|>',
    'code: def f(x):\n    return x ** 2  # square',
    'URL https://example.com/a?b=c&d=e',
    '',
  ];
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pieces = ['the', ' model', '训练', '微调', ' 😀', '\n', '  ', "'s", ' data', '数据集', '.', ',', ' 42', 'é', 'abc', 'xyz'];
  for (let i = 0; i < 300; i++) {
    let t = '';
    const len = 1 + Math.floor(rand() * 40);
    for (let j = 0; j < len; j++) t += pieces[Math.floor(rand() * pieces.length)];
    texts.push(t);
  }
  return texts;
}

function pythonIds(tokenizerJson: string, texts: string[]): number[][] {
  const input = tmp.write(`texts-${Math.random()}.json`, JSON.stringify(texts));
  const script = 'import json,sys\nfrom tokenizers import Tokenizer\nt=Tokenizer.from_file(sys.argv[1])\nprint(json.dumps([e.ids for e in t.encode_batch(json.load(open(sys.argv[2])), add_special_tokens=False)]))';
  return JSON.parse(execFileSync(VENV_PYTHON, ['-c', script, tokenizerJson, input], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

describe.skipIf(!hasPython)('token ids match the Python tokenizers library', () => {
  it('on the tiny test model (byte-level BPE)', () => {
    const path = join(ensureTinyModel(), 'tokenizer.json');
    const texts = corpus();
    const want = pythonIds(path, texts);
    const got = texts.map((t) => encodeText(t, path).ids);
    expect(got).toEqual(want);
    expect(texts.map((t) => countTokens(t, path))).toEqual(want.map((ids) => ids.length));
  });

  it.skipIf(!existsSync(DEMO_TOKENIZER))('on the demo model SmolLM2 (49k vocabulary)', () => {
    const texts = corpus();
    const want = pythonIds(DEMO_TOKENIZER, texts);
    expect(texts.map((t) => encodeText(t, DEMO_TOKENIZER).ids)).toEqual(want);
    expect(texts.map((t) => countTokens(t, DEMO_TOKENIZER))).toEqual(want.map((ids) => ids.length));
  });

  it('counts a chat as transformers renders and tokenizes it with the chat template', () => {
    const dir = ensureTinyModel();
    const chats = [
      [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello! 😀' }],
      [{ role: 'system', content: '你是助手。' }, { role: 'user', content: '数据是什么？' }, { role: 'assistant', content: '数据就是数据。' }],
      [{ role: 'user', content: 'a\nb' }, { role: 'assistant', content: ' spaced ' }, { role: 'user', content: 'more' }, { role: 'assistant', content: 'done.' }],
    ];
    const input = tmp.write('chats.json', JSON.stringify(chats));
    const script =
      'import json,sys\nfrom transformers import AutoTokenizer\nt=AutoTokenizer.from_pretrained(sys.argv[1])\n' +
      'print(json.dumps([len(t(t.apply_chat_template(c, tokenize=False), add_special_tokens=False)["input_ids"]) for c in json.load(open(sys.argv[2]))]))';
    const want: number[] = JSON.parse(execFileSync(VENV_PYTHON, ['-c', script, dir, input], { encoding: 'utf8' }));
    const counter = new ConversationTokenCounter(loadTokenizer(dir));
    expect(counter.usesTemplate).toBe(true);
    chats.forEach((c, i) => {
      // contents and template tokens are counted apart: a merge across their border may shift a token per turn
      expect(Math.abs(counter.count(c) - want[i]!)).toBeLessThanOrEqual(c.length);
    });
  });
});

describe('loadTokenizer', () => {
  it('explains a missing or broken tokenizer', () => {
    expect(() => loadTokenizer(join(tmp.dir, 'nope'))).toThrow(expect.objectContaining({ code: 'MODEL_PATH_INVALID' }));
    expect(() => loadTokenizer(tmp.dir)).toThrow(/no tokenizer.json/);
    const broken = tmp.write('tokenizer.json', '{oops');
    expect(() => loadTokenizer(broken)).toThrow(/not valid JSON/);
  });
});
