/** The jobs in `?jobs=id1,id2`: trimmed, without blanks or repeats, in the order given. */
export function parseSelection(search: string): string[] {
  const raw = new URLSearchParams(search).get('jobs') ?? '';
  return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
}

