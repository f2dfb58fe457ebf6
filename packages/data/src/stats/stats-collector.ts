import type { NormalizedRow } from '../types.ts';
import type { ConversationTokenCounter } from '../tokenize/conversation-tokens.ts';
import type { LoadedTokenizer } from '../tokenize/load-tokenizer.ts';
import type { DatasetStats } from './dataset-stats.ts';
import { countChars, newCharCounts } from './char-counts.ts';
import { textKey } from './dedup-key.ts';
import { rowDedupKey } from './row-dedup-key.ts';
import { KeySet } from './key-set.ts';
import type { ChatLineFacts } from './chat-line-facts.ts';
import { histogram, lengthCounts, LengthList, summarize } from './length-summary.ts';
import { rowTurns } from './row-turns.ts';
import { LabelCounter } from '../labels/label-counter.ts';
import { CANONICAL_ROLES } from '../formats/canonical-chat-line.ts';

const SAMPLE_CHINESE_CHARS = 50_000;
const SAMPLE_ENGLISH_WORDS = 20_000;
const CHINESE_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const ENGLISH_WORD = /[A-Za-z]+(?:'[A-Za-z]+)*/g;

/**
 * Statistics over the rows of a dataset, fed one normalized row at a time. Memory is a few
 * bytes per row (one length or two, two hashes), never the rows themselves, plus one entry per
 * distinct short answer for label detection (capped).
 */
export class StatsCollector {
  private rows = 0;
  private turns = 0;
  private maxTurns = 0;
  private readonly roles: Record<string, number> = {};
  private readonly chars = newCharCounts();
  private readonly charLengths = new LengthList();
  private readonly tokenLengths = new LengthList();
  private readonly exact = new KeySet();
  private readonly normalized = new KeySet();
  private exactDups = 0;
  private normalizedDups = 0;
  private chineseSample: string[] = [];
  private chineseSampleChars = 0;
  private englishSample: string[] = [];
  private readonly labels = new LabelCounter();

  constructor(private readonly tokens: { counter: ConversationTokenCounter; tokenizer: LoadedTokenizer } | null = null) {}

  /** `line` is the row as written to data.jsonl: equal lines are exact duplicates. */
  add(row: NormalizedRow, line: string): void {
    this.rows++;
    const turns = rowTurns(row);
    const nTurns = 'text' in row ? 1 : turns.length;
    this.turns += nTurns;
    if (nTurns > this.maxTurns) this.maxTurns = nTurns;
    let chars = 0;
    for (const t of turns) {
      const role = 'chosen' in row && (t === row.chosen || t === row.rejected) ? 'assistant' : t.role;
      this.roles[role] = (this.roles[role] ?? 0) + 1;
      const before = this.chars.chinese + this.chars.other;
      countChars(t.content, this.chars);
      chars += this.chars.chinese + this.chars.other - before;
      if (this.tokens) this.sampleForRatios(t.content);
    }
    this.charLengths.push(chars);

    if (!this.exact.add(textKey(line))) this.exactDups++;
    if (!this.normalized.add(rowDedupKey(row))) this.normalizedDups++;

    this.labels.add(row);
    if (this.tokens) this.tokenLengths.push(this.countRowTokens(row));
  }

  /**
   * add() for canonical chat line j of a batch, from its facts (chatLineFacts): the same counts,
   * keys and label as add(row, line) with the row it stands for and the line it is. Not for
   * token counts.
   */
  addChatLine(f: ChatLineFacts, j: number): void {
    this.rows++;
    const nTurns = f.roleStart[j + 1]! - f.roleStart[j]!;
    this.turns += nTurns;
    if (nTurns > this.maxTurns) this.maxTurns = nTurns;
    for (let r = f.roleStart[j]!; r < f.roleStart[j + 1]!; r++) {
      const role = CANONICAL_ROLES[f.roles[r]!]!;
      this.roles[role] = (this.roles[role] ?? 0) + 1;
    }
    this.chars.chinese += f.chinese[j]!;
    this.chars.other += f.other[j]!;
    this.chars.englishWords += f.englishWords[j]!;
    this.charLengths.push(f.chinese[j]! + f.other[j]!);
    if (!this.exact.add(f.exactKey[j]!)) this.exactDups++;
    if (!this.normalized.add(f.normalizedKey[j]!)) this.normalizedDups++;
    this.labels.addAnswer(f.answers[j]!);
  }

  finish(): DatasetStats {
    const charSorted = this.charLengths.sorted();
    const stats: DatasetStats = {
      rows: this.rows,
      turns: { total: this.turns, mean: this.rows ? round(this.turns / this.rows, 2) : 0, max: this.maxTurns },
      roles: this.roles,
      characters: {
        total: this.chars.chinese + this.chars.other,
        chinese: this.chars.chinese,
        other: this.chars.other,
        per_sample: summarize(charSorted, this.charLengths.sum),
      },
      english_words: this.chars.englishWords,
      duplicates: { exact: this.exactDups, normalized: this.normalizedDups },
      tokens: null,
      label_set: this.labels.result(),
    };
    if (this.tokens) {
      const sorted = this.tokenLengths.sorted();
      const { pairs, bucket } = lengthCounts(sorted);
      const tok = this.tokens.tokenizer;
      const zh = this.chineseSample.join('');
      const en = this.englishSample.join(' ');
      stats.tokens = {
        tokenizer: tok.path,
        includes_chat_template: this.tokens.counter.usesTemplate,
        total: this.tokenLengths.sum,
        per_sample: summarize(sorted, this.tokenLengths.sum),
        histogram: histogram(sorted),
        length_counts: pairs,
        length_bucket: bucket,
        per_chinese_char: zh.length > 0 ? round(tok.count(zh) / [...zh].length, 3) : null,
        per_english_word: this.englishSample.length > 0 ? round(tok.count(en) / this.englishSample.length, 3) : null,
      };
    }
    return stats;
  }

  private countRowTokens(row: NormalizedRow): number {
    const c = this.tokens!.counter;
    if ('text' in row) return c.countText(row.text);
    if ('choices' in row) return c.count(rowTurns(row) as Parameters<typeof c.count>[0]);
    if ('chosen' in row) {
      const t = this.tokens!.tokenizer;
      return c.count([...row.messages, { role: 'assistant', content: '' }]) + Math.max(t.count(row.chosen.content), t.count(row.rejected.content));
    }
    return c.count(row.messages);
  }

  private sampleForRatios(text: string): void {
    if (this.chineseSampleChars < SAMPLE_CHINESE_CHARS) {
      for (const m of text.matchAll(CHINESE_RUN)) {
        this.chineseSample.push(m[0]);
        this.chineseSampleChars += m[0].length;
      }
    }
    if (this.englishSample.length < SAMPLE_ENGLISH_WORDS) {
      for (const m of text.matchAll(ENGLISH_WORD)) this.englishSample.push(m[0]);
    }
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
