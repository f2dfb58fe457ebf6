import { describe, expect, it } from 'vitest';
import { CANONICAL_ROLES, CanonicalChatLine } from './canonical-chat-line.ts';
import { unitsToString as units } from '../stats/utf16-units.ts';
import { detectRowFormat } from './detect-format.ts';
import { normalizeRow } from './normalize-row.ts';
import { firstInvalidByte } from '../containers/read-lines.ts';
import { awkwardChatLines } from '../testing/awkward-chat-lines.ts';
import { SeededRandom } from '../random/seeded-random.ts';
import type { SftRow } from '../types.ts';

/** What the general path writes for a line, when the line is a valid OpenAI chat row; else null. */
function generalRow(bytes: Buffer): { row: SftRow; line: string } | null {
  if (firstInvalidByte(bytes) >= 0) return null;
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  if (detectRowFormat(v as Record<string, unknown>)?.format !== 'openai') return null;
  const r = normalizeRow('openai', v as Record<string, unknown>, 1);
  return r.errors ? null : { row: r.row as SftRow, line: JSON.stringify(r.row) };
}

/**
 * Checks read() against the general path: it may take a line only when the general path would
 * write that very line, and must take every such line of plain turns (role and content only),
 * except those holding a lone surrogate (written as a \u escape, left to the general path).
 */
function check(c: CanonicalChatLine, bytes: Buffer): boolean {
  const read = c.read(bytes);
  const general = generalRow(bytes);
  const canonical = general !== null && Buffer.from(general.line).equals(bytes);
  const plain = canonical && !('tools' in general.row) && general.row.messages.every((m) => Object.keys(m).length === 2) && !/\\ud[89a-f]/.test(general.line);
  const want = read ? canonical : plain ? true : read;
  if (read !== want) expect([bytes.toString(), read]).toEqual([bytes.toString(), want]); // (expect is slow: called on a mismatch only)
  if (read) {
    const turns = Array.from({ length: c.turns }, (_, i) => ({ role: CANONICAL_ROLES[c.roles[i]!], content: units(c.content, c.starts[i]!, c.ends[i]!) }));
    const same = units(c.line, 0, c.lineLength) === general!.line && JSON.stringify(turns) === JSON.stringify(general!.row.messages);
    if (!same) expect([units(c.line, 0, c.lineLength), turns]).toEqual([general!.line, general!.row.messages]);
  }
  return read;
}

describe('CanonicalChatLine', () => {
  it('takes exactly the lines that are their own normalized row', () => {
    const c = new CanonicalChatLine();
    let taken = 0;
    const lines = awkwardChatLines(1, 6000);
    for (const line of lines) if (check(c, Buffer.from(line))) taken++;
    // the test means something only if both answers are common
    expect(taken).toBeGreaterThan(600);
    expect(taken).toBeLessThan(lines.length - 1000);
  });

  it('refuses invalid UTF-8 as the general path does, byte flips included', () => {
    const c = new CanonicalChatLine();
    const r = new SeededRandom(3);
    const bad = [0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x0a, 0x0d, 0x00, 0x22, 0x5c];
    const canonical = awkwardChatLines(2, 6000).filter((line) => c.read(Buffer.from(line)));
    expect(canonical.length).toBeGreaterThan(600);
    for (const line of canonical) {
      for (let flips = 0; flips < 2; flips++) {
        const b = Buffer.from(line);
        const k = r.int(b.length);
        if (r.next() < 0.7) b[k] = bad[r.int(bad.length)]!;
        else b[k] = r.int(256);
        check(c, r.next() < 0.2 ? b.subarray(0, k) : b);
      }
    }
    // overlong forms, encoded surrogates, code points past U+10FFFF, a cut 4-byte character
    for (const seq of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf], [0xf0, 0x9f, 0x98]]) {
      const b = Buffer.concat([Buffer.from('{"messages":[{"role":"user","content":"a'), Buffer.from(seq), Buffer.from('"},{"role":"assistant","content":"b"}]}')]);
      expect(c.read(b)).toBe(false);
    }
  });

  it('reads long lines, and many turns', () => {
    const c = new CanonicalChatLine();
    const long = JSON.stringify({ messages: [{ role: 'user', content: '数😀"\\\n'.repeat(40_000) }, { role: 'assistant', content: 'ok' }] });
    expect(check(c, Buffer.from(long))).toBe(true);
    const turns = Array.from({ length: 301 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `t${i}` }));
    expect(check(c, Buffer.from(JSON.stringify({ messages: [{ role: 'system', content: 's' }, ...turns.slice(0, 300)] })))).toBe(true);
  });
});
