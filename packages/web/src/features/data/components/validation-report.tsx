import { useT } from '../../../lib/i18n.tsx';
import type { Dataset } from '../api/use-datasets.ts';
import { dataMessages, lineErrorMessages } from '../data.i18n.ts';

/** What the server found in an uploaded file: ready with its rows, or each bad line with its field and fix. */
export function ValidationReport({ dataset }: { dataset: Dataset }) {
  const t = useT(dataMessages);
  const tl = useT(lineErrorMessages);
  const lineProblem = (code: string) => (code in lineErrorMessages.en ? tl(code as keyof typeof lineErrorMessages.en) : code);
  if (dataset.status === 'processing') {
    return (
      <p role="status" className="muted">
        {t('checking')}
      </p>
    );
  }
  const total = Object.values(dataset.error_counts).reduce((a, b) => a + b, 0);
  return (
    <div className="report" role="status" data-status={dataset.status}>
      {dataset.status === 'ready' ? (
        <p className="ok">{t('readyReport', { name: dataset.name, rows: dataset.rows, format: dataset.format ?? t('unknown') })}</p>
      ) : (
        <p className="bad">{t('invalidReport', { name: dataset.name, lines: total || dataset.errors.length })}</p>
      )}
      {dataset.errors.length > 0 && (
        <table className="table errors-table">
          <caption className="sr-only">{t('fix')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('line')}</th>
              <th scope="col">{t('field')}</th>
              <th scope="col">{t('problem')}</th>
              <th scope="col">{t('fix')}</th>
            </tr>
          </thead>
          <tbody>
            {dataset.errors.map((e, i) => (
              <tr key={i} data-line={e.line}>
                <td className="num" translate="no">
                  {e.line}
                </td>
                <td translate="no">
                  <code>{e.field ?? '–'}</code>
                </td>
                <td>{lineProblem(e.code)}</td>
                <td translate="no">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total > dataset.errors.length && <p className="muted small-text">{t('moreErrors', { shown: dataset.errors.length, total })}</p>}
    </div>
  );
}
