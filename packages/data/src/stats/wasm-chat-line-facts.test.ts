import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CanonicalChatLine } from '../formats/canonical-chat-line.ts';
import { awkwardChatLines } from '../testing/awkward-chat-lines.ts';
import { SeededRandom } from '../random/seeded-random.ts';
import { chatLineFacts, type ChatLineFacts } from './chat-line-facts.ts';
import { WasmChatLineFacts } from './wasm-chat-line-facts.ts';

/** The facts of the lines a batch takes, one object per line (nothing of a refused line). */
function perLine(f: ChatLineFacts): unknown[] {
  return Array.from(f.ok, (ok, j) =>
    ok
      ? {
          ok,
          exactKey: f.exactKey[j],
          normalizedKey: f.normalizedKey[j],
          counts: [f.chinese[j], f.other[j], f.englishWords[j]],
          roles: Array.from(f.roles.subarray(f.roleStart[j], f.roleStart[j + 1])),
          answer: f.answers[j],
        }
      : { ok },
  );
}

function expectSameFacts(lines: Buffer[]): ChatLineFacts {
  const wasm = new WasmChatLineFacts().facts(lines);
  const js = chatLineFacts(new CanonicalChatLine(), lines);
  const a = perLine(wasm);
  const b = perLine(js);
  for (let j = 0; j < lines.length; j++) {
    // (expect is slow: called on a mismatch only, with the line)
    if (JSON.stringify(a[j]) !== JSON.stringify(b[j])) expect([lines[j]!.toString(), a[j]]).toEqual([lines[j]!.toString(), b[j]]);
  }
  return wasm;
}

const chat = (...turns: string[]) => JSON.stringify({ messages: turns.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content })) });

describe('WasmChatLineFacts', () => {
  it('gives the TypeScript facts on awkward lines, in one batch and in several', () => {
    const lines = awkwardChatLines(21, 6000).map((l) => Buffer.from(l));
    const f = expectSameFacts(lines);
    // the comparison means something only if lines of every kind are common
    const ok = f.ok.reduce((s, v) => s + v, 0);
    expect(ok).toBeGreaterThan(600);
    expect(ok).toBeLessThan(lines.length - 1000);
    const scanner = new WasmChatLineFacts();
    for (let i = 0; i < lines.length; i += 700) {
      const part = lines.slice(i, i + 700);
      expect(perLine(scanner.facts(part))).toEqual(perLine(chatLineFacts(new CanonicalChatLine(), part)));
    }
  });

  it('gives the TypeScript facts on byte flips, cut lines and long lines', () => {
    const r = new SeededRandom(5);
    const bad = [0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x0a, 0x0d, 0x00, 0x22, 0x5c, 0x7d, 0x5d, 0x2c];
    const base = awkwardChatLines(22, 1500).map((l) => Buffer.from(l));
    const lines: Buffer[] = [];
    for (const b of base) {
      const flipped = Buffer.from(b);
      flipped[r.int(flipped.length)] = bad[r.int(bad.length)]!;
      lines.push(b, flipped, b.subarray(0, r.int(b.length)), b.subarray(r.int(b.length)));
    }
    lines.push(Buffer.from(chat('数据😀 long question '.repeat(4000), 'Positive')), Buffer.from(chat('q', ` ${'a'.repeat(100)} `)), Buffer.alloc(0));
    const f = expectSameFacts(lines);
    expect(f.ok.reduce((s, v) => s + v, 0)).toBeGreaterThan(150);
  });

  it('takes Unicode normalization from the TypeScript path, so keys agree up to it', () => {
    const lines = [chat('Ｑuestion ①: café', 'ﬁne'), chat('question 1: cafe\u0301', 'fine'), chat('ΣΑΣ', 'σας'), chat('plain 数据。', 'ok')].map((l) => Buffer.from(l));
    const f = expectSameFacts(lines);
    expect(Array.from(f.ok)).toEqual([1, 1, 1, 1]);
    expect(f.normalizedKey[0]).toBe(f.normalizedKey[1]);
  });

  it('runs the chat-scan.wasm built from the chat-scan.ts beside it', () => {
    // build.mjs records the source's sha256 when it compiles: an edited source must be rebuilt
    const source = readFileSync(new URL('../../assembly/chat-scan.ts', import.meta.url));
    const recorded = readFileSync(new URL('../../assembly/chat-scan.wasm.source-sha256', import.meta.url), 'utf8').trim();
    expect(createHash('sha256').update(source).digest('hex'), 'run node packages/data/assembly/build.mjs and commit chat-scan.wasm').toBe(recorded);
  });
});
