export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/** A short status word with a tone; the feature supplies the translated text. */
export function Badge({ tone, children }: { tone: Tone; children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
