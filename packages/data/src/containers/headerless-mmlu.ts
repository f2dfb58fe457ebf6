/** The columns of MMLU's CSV files as released (data/test/<subject>_test.csv): no header row. */
export const MMLU_COLUMNS = ['question', 'A', 'B', 'C', 'D', 'answer'];

/**
 * The header to read a CSV with when its first row is MMLU data rather than column names: six
 * cells, the last one an answer letter A-D. A header row never ends in a lone letter.
 */
export function headerlessMmluHeader(firstRow: string[]): string[] | null {
  if (firstRow.length !== MMLU_COLUMNS.length) return null;
  return /^[ABCD]$/.test(firstRow[firstRow.length - 1]!.trim()) ? MMLU_COLUMNS : null;
}
