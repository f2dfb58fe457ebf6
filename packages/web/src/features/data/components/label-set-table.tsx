import type { LabelSet } from '@whetstone/core';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { datasetDetailMessages } from '../data.i18n.ts';

/**
 * A labelling set's labels with their rows and a share bar each, so the balance shows at a glance;
 * the caption says how many rows the labels cover and how many answer something else.
 */
export function LabelSetTable({ set }: { set: LabelSet }) {
  const t = useT(datasetDetailMessages);
  const f = useFormatters();
  const most = Math.max(1, ...set.labels.map((l) => l.count)); // the longest bar is the most frequent label
  const pct = (share: number) => `${f.number(share * 100, 1)}%`;
  return (
    <table className="table label-set" data-testid="label-set">
      <caption className="muted small-text">
        {t(set.other_rows ? 'labelsCaptionOther' : 'labelsCaption', { count: set.labels.length, covered: pct(set.covered_share), other: set.other_rows })}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('label')}</th>
          <th scope="col" className="num">
            {t('labelRows')}
          </th>
          <th scope="col">{t('labelShare')}</th>
        </tr>
      </thead>
      <tbody>
        {set.labels.map((l) => (
          <tr key={l.label} data-label={l.label}>
            <td translate="no">
              <code>{l.label}</code>
            </td>
            <td className="num">{f.number(l.count)}</td>
            <td>
              <span className="share-bar" aria-hidden="true">
                <span style={{ width: `${(100 * l.count) / most}%` }} />
              </span>
              <span className="share-value">{pct(l.share)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
