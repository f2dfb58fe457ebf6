import { CANONICAL_ROLES, TRIMMED, type CanonicalChatLine } from '../formats/canonical-chat-line.ts';
import { MAX_LABEL_CHARS } from '../labels/label-counter.ts';
import { countCharUnits, newCharCounts } from './char-counts.ts';
import { addNormalizedUnitsForDedup } from './dedup-key.ts';
import { unitsToString } from './utf16-units.ts';
import { TextHasher } from './text-hasher.ts';

/**
 * What StatsCollector takes from a batch of canonical chat lines (CanonicalChatLine), worked
 * out apart from it so a worker thread can do it: per line, whether it is canonical, its exact
 * and normalized duplicate keys, its character counts, its roles and its answer. Plain typed
 * arrays and strings, so a batch crosses threads by structured clone.
 */
export interface ChatLineFacts {
  /** 1 where the line is canonical (the other fields of a 0 line mean nothing). */
  ok: Uint8Array;
  exactKey: Float64Array;
  normalizedKey: Float64Array;
  chinese: Int32Array;
  other: Int32Array;
  englishWords: Int32Array;
  /** Line j's turns have the roles roles[roleStart[j]..roleStart[j + 1]) (CANONICAL_ROLES indices). */
  roleStart: Int32Array;
  roles: Uint8Array;
  /** The answer LabelCounter.addAnswer takes (null: none that could be a label). */
  answers: (string | null)[];
}

/** Reads every line of a batch (the bytes of each, without its line ending) and gives its facts. */
export function chatLineFacts(c: CanonicalChatLine, lines: readonly Uint8Array[]): ChatLineFacts {
  const n = lines.length;
  const f: ChatLineFacts = {
    ok: new Uint8Array(n),
    exactKey: new Float64Array(n),
    normalizedKey: new Float64Array(n),
    chinese: new Int32Array(n),
    other: new Int32Array(n),
    englishWords: new Int32Array(n),
    roleStart: new Int32Array(n + 1),
    roles: new Uint8Array(64),
    answers: new Array<string | null>(n).fill(null),
  };
  let r = 0;
  const acc = newCharCounts();
  for (let j = 0; j < n; j++) {
    f.roleStart[j] = r;
    if (!c.read(lines[j]!)) continue;
    f.ok[j] = 1;
    acc.chinese = acc.other = acc.englishWords = 0;
    const h = new TextHasher();
    if (f.roles.length < r + c.turns) {
      const grown = new Uint8Array((r + c.turns) * 2);
      grown.set(f.roles);
      f.roles = grown;
    }
    for (let i = 0; i < c.turns; i++) {
      const role = c.roles[i]!;
      f.roles[r++] = role;
      countCharUnits(c.content, c.starts[i]!, c.ends[i]!, acc);
      // rowDedupKey, turn by turn
      if (i > 0) h.unit(0x02);
      h.text(CANONICAL_ROLES[role]!);
      h.unit(0x01);
      addNormalizedUnitsForDedup(c.content, c.starts[i]!, c.ends[i]!, h);
    }
    f.normalizedKey[j] = h.digest();
    const line = new TextHasher();
    line.units16(c.line, c.lineLength);
    f.exactKey[j] = line.digest();
    f.chinese[j] = acc.chinese;
    f.other[j] = acc.other;
    f.englishWords[j] = acc.englishWords;
    f.answers[j] = answerOf(c);
  }
  f.roleStart[n] = r;
  return f;
}

/**
 * The last assistant turn's text for LabelCounter.addAnswer; null when it is longer than a
 * label even once trimmed (no space to trim at either end), so no string is built for it.
 */
function answerOf(c: CanonicalChatLine): string | null {
  const t = c.lastAssistant();
  const start = c.starts[t]!;
  const end = c.ends[t]!;
  if (end - start > MAX_LABEL_CHARS && !TRIMMED[c.content[start]!] && !TRIMMED[c.content[end - 1]!]) return null;
  return unitsToString(c.content, start, end);
}
