import { SeededRandom } from '../random/seeded-random.ts';

/** Characters JSON and normalization treat specially, mixed into turn contents. */
const CHARS = [
  'a', 'Z', 'x', ' ', '  ', '\n', '\r', '\t', '\b', '\f', '"', '\\', '/', "'", '\u0000', '\u0001', '\u001f', '\u007f', '\u0085',
  '数', '据', '，', '。', '\u3000', '\u00a0', '\ufeff', '\u2028', '\u2029', 'é', 'e\u0301', 'Σ', 'Ａ', 'ﬁ', '①',
  '😀', '\u{20000}', '\ud800', '\udc00', 'Positive', 'negative',
];
const ROLES = ['system', 'user', 'assistant', 'tool', 'developer', 'function', 'bot', 'User'];

/**
 * JSONL lines, most of them OpenAI chat, built to probe the edges of "this line is already its
 * normalized row": canonical rows with awkward contents, and the same rows with a space, a
 * swapped key, an extra field, an escape JSON.stringify would not write, a role to map, a turn
 * out of order, an empty turn, a cut.
 */
export function awkwardChatLines(seed: number, count: number): string[] {
  const r = new SeededRandom(seed);
  const pick = <T>(a: readonly T[]): T => a[r.int(a.length)]!;
  const text = (): string => {
    let s = '';
    for (let i = r.int(9); i > 0; i--) s += pick(CHARS);
    return s;
  };
  const turn = (role: string): Record<string, unknown> => {
    const t: Record<string, unknown> = { role, content: r.next() < 0.05 ? '' : text() || 'ok' };
    if (r.next() < 0.03) t.name = 'n';
    if (r.next() < 0.03) t.weight = r.int(2);
    if (r.next() < 0.02) t.content = [{ type: 'text', text: text() || 'x' }];
    return t;
  };
  const row = (): Record<string, unknown> => {
    const messages: Record<string, unknown>[] = [];
    if (r.next() < 0.3) messages.push(turn(r.next() < 0.8 ? 'system' : 'developer'));
    for (let k = 1 + r.int(3); k > 0; k--) {
      messages.push(turn(r.next() < 0.95 ? 'user' : pick(ROLES)));
      messages.push(turn(r.next() < 0.95 ? 'assistant' : pick(ROLES)));
      if (r.next() < 0.05) messages.push(turn(r.next() < 0.5 ? 'tool' : 'function'));
    }
    const row: Record<string, unknown> = { messages };
    if (r.next() < 0.02) row.tools = [{ type: 'function' }];
    if (r.next() < 0.02) row.id = 7;
    return row;
  };
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = JSON.stringify(row());
    const v = r.next();
    if (v < 0.04) s = s.replace('"role":', '"role" :');
    else if (v < 0.06) s = ` ${s}`;
    else if (v < 0.08) s = `${s} `;
    else if (v < 0.1) s = s.replace(/\{"role":("[^"]*"),"content":("(?:[^"\\]|\\.)*")\}/, '{"content":$2,"role":$1}');
    else if (v < 0.12) s = s.replace(/[a-z数😀]/u, (c) => unicodeEscape(c, r.next() < 0.5));
    else if (v < 0.14) s = s.replace('/', '\\/');
    else if (v < 0.16) s = s.replace('\\n', '\\u000a');
    else if (v < 0.18) s = s.replace('\\u0001', '\\u0001'.toUpperCase());
    else if (v < 0.2) s = s.slice(0, r.int(s.length));
    else if (v < 0.21) s = JSON.stringify(JSON.parse(s), null, 1).replace(/\n/g, '');
    lines.push(s);
  }
  return lines;
}

/** `c` as \uXXXX escapes (a pair for a character outside the BMP). */
function unicodeEscape(c: string, upper: boolean): string {
  let out = '';
  for (let i = 0; i < c.length; i++) {
    const hex = c.charCodeAt(i).toString(16).padStart(4, '0');
    out += `\\u${upper ? hex.toUpperCase() : hex}`;
  }
  return out;
}
