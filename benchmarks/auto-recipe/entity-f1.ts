// Entity-level micro F1 for the zh-ner task: answers read as 「人名：甲、乙；地名：丙」 (无 for none).
// Exact match of the whole answer is the headline; F1 credits the names a model got right.

const FIELDS = { 人名: 'person', 地名: 'place' } as const;

/** The (kind, name) pairs an answer lists; text outside the format lists nothing. */
export function entitiesOf(answer: string): Set<string> {
  const found = new Set<string>();
  for (const [field, kind] of Object.entries(FIELDS)) {
    const m = answer.match(new RegExp(`${field}[：:]([^；;\\n]*)`));
    if (!m) continue;
    for (const name of m[1]!.split(/[、,，]/).map((s) => s.trim())) if (name && name !== '无') found.add(`${kind}:${name}`);
  }
  return found;
}

/** Micro F1 (0 to 100) over rows: every listed name against the reference's. */
export function entityF1(pairs: { reference: string; prediction: string | null }[]): number {
  let tp = 0;
  let predicted = 0;
  let expected = 0;
  for (const { reference, prediction } of pairs) {
    const want = entitiesOf(reference);
    const got = entitiesOf(prediction ?? '');
    expected += want.size;
    predicted += got.size;
    for (const e of got) if (want.has(e)) tp++;
  }
  if (tp === 0) return 0;
  const precision = tp / predicted;
  const recall = tp / expected;
  return (200 * precision * recall) / (precision + recall);
}
