import { useMemo, useState } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import type { CompareJob } from '../api/compare-types.ts';
import { compareMessages } from '../compare.i18n.ts';
import { hyperparameterRows, type SetupRow } from '../lib/hyperparameter-rows.ts';
import { runColor } from '../lib/run-colors.ts';

/**
 * The chosen jobs' settings side by side: model, dataset, method, tuning and every resolved
 * hyperparameter, one column per job. Rows that differ come first, highlighted and marked in
 * words; a toggle hides the rest.
 */
export function HyperparameterTable({ jobs }: { jobs: readonly CompareJob[] }) {
  const t = useT(compareMessages);
  const [onlyDiffs, setOnlyDiffs] = useState(false);
  const rows = useMemo(() => hyperparameterRows(jobs), [jobs]);
  const shown = onlyDiffs ? rows.filter((r) => r.differs) : rows;
  const setupLabel: Record<SetupRow, string> = { model: t('model'), dataset: t('dataset'), method: t('method'), tuning: t('tuning') };
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={onlyDiffs} onChange={(e) => setOnlyDiffs(e.target.checked)} />
        <span>{t('onlyDiffs')}</span>
      </label>
      {rows.every((r) => !r.differs) && <p className="muted">{t('same')}</p>}
      <div className="table-scroll">
        <table className="table hyperparameters">
          <caption className="sr-only">{t('settings')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('setting')}</th>
              {jobs.map((j, i) => (
                <th scope="col" key={j.id} translate="no">
                  <span className="swatch" style={{ background: runColor(i) }} aria-hidden="true" />
                  {j.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.key} className={r.differs ? 'differs' : undefined} data-key={r.key} data-differs={r.differs || undefined}>
                <th scope="row">
                  {r.setup ? setupLabel[r.key as SetupRow] : <code translate="no">{r.key}</code>}
                  {r.differs && <span className="badge badge-warning differs-badge">{t('differs')}</span>}
                </th>
                {r.values.map((v, i) => (
                  <td key={i} translate="no">
                    {v ?? t('notSet')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
