/** Terminal output helpers: tables, durations, a one-line progress bar. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function progressLine(p: { step: number; total: number | null; loss: number | null; eta: number | null; epoch?: number | null }, width = 28): string {
  const total = p.total ?? 0;
  const frac = total ? Math.min(1, p.step / total) : 0;
  const filled = Math.round(frac * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const loss = p.loss === null ? '--' : p.loss.toFixed(4);
  const epoch = p.epoch === null || p.epoch === undefined ? '' : ` epoch ${p.epoch.toFixed(2)}`;
  return `${bar} ${p.step}/${total || '?'}${epoch} loss ${loss} ETA ${duration(p.eta)}`;
}
