/** A labelled progress bar; `value` of `max`, or indeterminate when max is unknown. */
export function ProgressBar({ value, max, label }: { value: number; max: number | null; label: string }) {
  const pct = max ? Math.min(100, (value / max) * 100) : null;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max ?? undefined}
      aria-valuenow={max ? value : undefined}
    >
      <div className={pct === null ? 'progress-fill indeterminate' : 'progress-fill'} style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
