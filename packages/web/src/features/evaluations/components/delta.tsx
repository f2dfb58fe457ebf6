import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { evaluationsMessages } from '../evaluations.i18n.ts';

/** A difference to the baseline: +x.x green (better) or −x.x red (worse), said in words too. */
export function Delta({ value }: { value: number | null }) {
  const t = useT(evaluationsMessages);
  const f = useFormatters();
  if (value === null || !Number.isFinite(value)) return null;
  const rounded = Math.round(value * 10) / 10;
  const tone = rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat';
  const text = `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${f.number(Math.abs(rounded), 1)}`;
  return (
    <span className={`delta delta-${tone}`} data-delta={rounded}>
      <span translate="no">{text}</span>
      {tone !== 'flat' && <span className="sr-only"> {t(tone === 'up' ? 'better' : 'worse')}</span>}
    </span>
  );
}
