/** One run of a word-level diff: words both texts share, or only the answer's, or only the reference's. */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * Words, with the whitespace after each kept on it so the parts join back into the text. CJK
 * characters count as words of their own (Chinese has no spaces between words).
 */
export function tokenize(text: string): string[] {
  return text.match(/[\u3400-\u9fff\uf900-\ufaff]\s*|[^\s\u3400-\u9fff\uf900-\ufaff]+\s*|\s+/g) ?? [];
}

/**
 * A word-level diff from `reference` to `answer` (longest common subsequence of the words, ignoring
 * trailing whitespace): `added` words are the answer's only, `removed` the reference's only.
 * Quadratic in words; long texts (over `maxWords` each) fall back to one removed + one added part.
 */
export function wordDiff(reference: string, answer: string, maxWords = 2000): DiffPart[] {
  const a = tokenize(reference);
  const b = tokenize(answer);
  if (a.length > maxWords || b.length > maxWords) {
    return merge([
      { kind: 'removed', text: reference },
      { kind: 'added', text: answer },
    ]);
  }
  const key = (w: string) => w.trimEnd();
  // lcs[i][j]: common words of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = key(a[i]!) === key(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (key(a[i]!) === key(b[j]!)) {
      parts.push({ kind: 'same', text: b[j]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      parts.push({ kind: 'removed', text: a[i++]! });
    } else {
      parts.push({ kind: 'added', text: b[j++]! });
    }
  }
  while (i < a.length) parts.push({ kind: 'removed', text: a[i++]! });
  while (j < b.length) parts.push({ kind: 'added', text: b[j++]! });
  return merge(parts);
}

/** Adjacent parts of one kind as one; empty parts dropped. */
function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    if (!p.text) continue;
    const last = out[out.length - 1];
    if (last && last.kind === p.kind) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}
