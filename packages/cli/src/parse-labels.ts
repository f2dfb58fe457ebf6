/**
 * `--labels`: "model" (the model's remembered label set), "none" (turn a deployment's default
 * off for a request: []), or a comma-separated list ("positive,negative"). Checked by the server.
 */
export function parseLabelsOption(value: string): string[] | 'model' {
  const v = value.trim();
  if (v === 'model') return 'model';
  if (v === 'none') return [];
  return v.split(',').map((l) => l.trim()).filter(Boolean);
}
