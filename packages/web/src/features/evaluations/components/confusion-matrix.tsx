import { useT } from '../../../lib/i18n.tsx';
import type { EvaluationColumn } from '../api/evaluation-types.ts';
import { labelMetricsMessages } from '../label-metrics.i18n.ts';

// Cell shading runs from white to this light blue: dark text stays readable (contrast > 7) on every shade.
const FULL: readonly [number, number, number] = [0x93, 0xc5, 0xfd];

function shade(count: number, max: number): string {
  const k = max === 0 ? 0 : count / max;
  const [r, g, b] = FULL.map((c) => Math.round(255 + (c - 255) * k));
  return `rgb(${r}, ${g}, ${b})`;
}

/** One column's confusion matrix: reference labels as rows, answered labels (and "no label") as columns, shaded by count, the diagonal outlined. */
export function ConfusionMatrix({ column, index }: { column: EvaluationColumn; index: number }) {
  const t = useT(labelMetricsMessages);
  const m = column.label_metrics!;
  const max = Math.max(0, ...m.confusion.flat());
  return (
    <div className="table-scroll">
      <table className="table confusion-matrix" data-column={index}>
        <caption>{t('confusionOf', { label: column.label })}</caption>
        <thead>
          <tr>
            <th scope="col" className="corner">
              {t('corner')}
            </th>
            {m.labels.map((l) => (
              <th scope="col" className="num" key={l}>
                <span translate="no">{l}</span>
              </th>
            ))}
            <th scope="col" className="num invalid-head">
              {t('noLabel')}
            </th>
          </tr>
        </thead>
        <tbody>
          {m.confusion.map((counts, row) => (
            <tr key={row} data-reference={m.labels[row]}>
              <th scope="row">
                <span translate="no">{m.labels[row]}</span>
              </th>
              {counts.map((count, col) => {
                const diagonal = col === row;
                return (
                  <td key={col} className={`num cell${diagonal ? ' diagonal' : ''}`} style={{ backgroundColor: shade(count, max) }} data-count={count}>
                    <span translate="no">{count}</span>
                    {diagonal && <span className="sr-only"> ({t('correct')})</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
