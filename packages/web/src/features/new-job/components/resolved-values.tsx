import { fieldApplies, type ResolvedValue } from '@whetstone/core';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { newJobMessages, sourceMessages } from '../new-job.i18n.ts';
import type { Method, Tuning } from '../utils/build-job-request.ts';

/** The settings people look for first; the rest follow in the server's order. */
const FIRST = ['epochs', 'learning_rate', 'max_seq_len', 'max_steps', 'budget', 'batch_size', 'gradient_accumulation_steps'];

/**
 * Every value the job will use, with where it came from and the server's reason; not the ones
 * this method and tuning never read (the server resolves lora_r for every tuning, say).
 */
export function ResolvedValues({ resolved, method, tuning }: { resolved: Record<string, ResolvedValue>; method: Method; tuning: Tuning }) {
  const t = useT(newJobMessages);
  const ts = useT(sourceMessages);
  const f = useFormatters();
  const keys = Object.keys(resolved)
    .filter((k) => fieldApplies(k, method, tuning))
    .sort((a, b) => rank(a) - rank(b));
  const show = (v: unknown) => {
    if (v === null || v === undefined) return '–';
    if (typeof v === 'number') return Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(1) : f.number(v, 4);
    if (typeof v === 'string') return v;
    return JSON.stringify(v);
  };
  return (
    <table className="table resolved-table">
      <caption className="sr-only">{t('resolved')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('setting')}</th>
          <th scope="col">{t('value')}</th>
          <th scope="col">{t('source')}</th>
          <th scope="col">{t('reason')}</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => {
          const r = resolved[k]!;
          return (
            <tr key={k} data-key={k} data-source={r.source}>
              <th scope="row" translate="no">
                <code>{k}</code>
              </th>
              <td className="num nowrap" translate="no">
                {show(r.value)}
              </td>
              <td className="nowrap">{ts(r.source)}</td>
              <td className="reason" translate="no">
                {r.reason}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function rank(key: string): number {
  const i = FIRST.indexOf(key);
  return i < 0 ? FIRST.length : i;
}
