import { normalizeForDedup, textKey } from '../stats/dedup-key.ts';
import { KeySet } from '../stats/key-set.ts';

/**
 * The prompt of a chat row: its user turns joined by newlines (an alpaca row's user turn is
 * already instruction + "\n" + input). Null for a row without one (raw text).
 */
export function rowPrompt(row: { messages?: readonly { role: string; content: unknown }[] }): string | null {
  const user = (row.messages ?? []).filter((m) => m.role === 'user' && typeof m.content === 'string').map((m) => m.content as string);
  return user.length === 0 ? null : user.join('\n');
}

/**
 * The prompts of a training set, as hashes (8-16 bytes a prompt whatever its length), to ask
 * whether a test prompt was seen: character for character, or once normalized the way
 * de-duplication normalizes (normalizeForDedup: case, width, spacing, punctuation).
 */
export class PromptIndex {
  private readonly exact = new KeySet();
  private readonly normalized = new KeySet();

  add(prompt: string): void {
    this.exact.add(textKey(prompt));
    this.normalized.add(textKey(normalizeForDedup(prompt)));
  }

  /** 'exact' when seen as is, 'normalized' when seen only once normalized, else null. */
  match(prompt: string): 'exact' | 'normalized' | null {
    if (this.exact.has(textKey(prompt))) return 'exact';
    return this.normalized.has(textKey(normalizeForDedup(prompt))) ? 'normalized' : null;
  }

  /** How many test prompts (null: the row has none) were seen, exactly and once normalized. */
  count(test: readonly (string | null)[]): PromptOverlap {
    let exact = 0;
    let normalized = 0;
    for (const p of test) {
      const m = p === null ? null : this.match(p);
      if (m === 'exact') exact++;
      if (m !== null) normalized++;
    }
    return { exact, normalized, test_rows: test.length };
  }
}

export interface PromptOverlap {
  /** Test prompts equal to a training prompt. */
  exact: number;
  /** Test prompts equal to a training prompt once normalized (the exact ones included). */
  normalized: number;
  test_rows: number;
}

/** How many test prompts the training prompts already hold (see PromptIndex.count). */
export function countPromptOverlap(train: Iterable<string>, test: readonly (string | null)[]): PromptOverlap {
  const index = new PromptIndex();
  for (const p of train) index.add(p);
  return index.count(test);
}
