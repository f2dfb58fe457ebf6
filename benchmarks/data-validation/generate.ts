import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes a synthetic chat dataset of about `bytes` bytes: OpenAI chat rows, half Chinese and
 * half English, with Zipf-distributed words so tokenizer caches behave as on real text, lengths
 * from a few words to a few thousand, and 1% repeated rows.
 */
export async function generateChatJsonl(path: string, bytes: number, seed = 1): Promise<{ rows: number; bytes: number }> {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const syll = ['ka', 'to', 'ri', 'men', 'sa', 'lo', 'ne', 'tra', 'in', 'de', 'mo', 'ver', 'al', 'ion', 'ter', 'pa', 'the', 'ing', 'ed', 'st'];
  const english = Array.from({ length: 5000 }, (_, i) => {
    let w = '';
    let k = i + 1;
    while (k > 0) {
      w += syll[k % syll.length];
      k = Math.floor(k / syll.length);
    }
    return w;
  });
  const chinese = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000)));
  const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1))) - 1);
  const sentence = (zh: boolean, words: number) => {
    const parts: string[] = [];
    for (let i = 0; i < words; i++) {
      if (zh) parts.push(chinese[zipf(chinese.length)]!, i % 12 === 11 ? '，' : '');
      else parts.push(english[zipf(english.length)]!, i % 12 === 11 ? ', ' : ' ');
    }
    return parts.join('') + (zh ? '。' : '.');
  };
  const lengthOf = () => Math.max(3, Math.round(Math.exp(3 + rand() * 3.5)));

  const out = createWriteStream(path);
  let written = 0;
  let rows = 0;
  const recent: string[] = [];
  while (written < bytes) {
    let line: string;
    if (recent.length > 0 && rand() < 0.01) line = recent[Math.floor(rand() * recent.length)]!;
    else {
      const zh = rand() < 0.5;
      const messages = [];
      if (rand() < 0.3) messages.push({ role: 'system', content: zh ? '你是一个乐于助人的助手。' : 'You are a helpful assistant.' });
      const turns = rand() < 0.8 ? 1 : 2;
      for (let t = 0; t < turns; t++) {
        messages.push({ role: 'user', content: sentence(zh, Math.ceil(lengthOf() / 4)) + (rand() < 0.05 ? ' 😀' : '') });
        messages.push({ role: 'assistant', content: sentence(zh, lengthOf()) });
      }
      line = JSON.stringify({ messages });
      if (recent.length < 100) recent.push(line);
      else recent[Math.floor(rand() * 100)] = line;
    }
    const chunk = line + '\n';
    written += Buffer.byteLength(chunk);
    rows++;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { rows, bytes: written };
}
