import { useId } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import { newJobMessages } from '../new-job.i18n.ts';
import { newMixSource, type MixSource } from '../utils/build-mix-request.ts';
import { FieldError } from './auto-number-field.tsx';

interface Choice {
  id: string;
  name: string;
  rows: number;
}

/**
 * The mix builder: one row per source, each a dataset with a weight (its share relative to the
 * others) or an exact sample count; rows added and removed. The server's complaint about a row
 * shows under it, with its hint.
 */
export function MixBuilder(p: { sources: MixSource[]; datasets: Choice[]; onChange: (sources: MixSource[]) => void; errors: Record<number, string>; hint?: string | null }) {
  const t = useT(newJobMessages);
  const id = useId();
  const put = (i: number, patch: Partial<MixSource>) => p.onChange(p.sources.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <fieldset className="mix-builder" aria-describedby={`${id}-help`}>
      <legend>{t('mixSources')}</legend>
      <p id={`${id}-help`} className="muted small-text">
        {t('mixHelp')}
      </p>
      {p.sources.map((s, i) => {
        const rowId = `${id}-${i}`;
        const err = p.errors[i];
        return (
          <div key={i} className="mix-row" data-mix-row={i + 1}>
            <div className="field">
              <label htmlFor={`${rowId}-dataset`}>{t('mixDataset', { n: i + 1 })}</label>
              <select id={`${rowId}-dataset`} value={s.dataset} onChange={(e) => put(i, { dataset: e.target.value })} aria-invalid={err ? true : undefined} aria-describedby={err ? `${rowId}-err` : undefined}>
                <option value="">{t('chooseDataset')}</option>
                {p.datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} · {t('datasetRows', { rows: d.rows })}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${rowId}-by`}>{t('mixBy')}</label>
              <select id={`${rowId}-by`} value={s.by} onChange={(e) => put(i, { by: e.target.value as MixSource['by'], amount: e.target.value === 'weight' ? '1' : '' })}>
                <option value="weight">{t('mixByWeight')}</option>
                <option value="samples">{t('mixBySamples')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${rowId}-amount`}>{s.by === 'weight' ? t('mixWeight') : t('mixSamples')}</label>
              <input
                id={`${rowId}-amount`}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                value={s.amount}
                onChange={(e) => put(i, { amount: e.target.value })}
                aria-invalid={err ? true : undefined}
                aria-describedby={err ? `${rowId}-err` : undefined}
              />
            </div>
            <button type="button" className="button" aria-label={t('mixRemoveRow', { n: i + 1 })} disabled={p.sources.length <= 1} onClick={() => p.onChange(p.sources.filter((_, j) => j !== i))}>
              {t('mixRemove')}
            </button>
            {err && <FieldError id={`${rowId}-err`} message={err} hint={p.hint} />}
          </div>
        );
      })}
      <button type="button" className="button" onClick={() => p.onChange([...p.sources, newMixSource()])} disabled={p.sources.length >= 32}>
        {t('mixAdd')}
      </button>
    </fieldset>
  );
}
