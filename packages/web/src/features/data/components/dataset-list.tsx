import { Badge, type Tone } from '../../../components/badge.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useDatasets, type Dataset } from '../api/use-datasets.ts';
import { dataMessages, datasetStatusMessages } from '../data.i18n.ts';

const TONES: Record<Dataset['status'], Tone> = { processing: 'info', ready: 'success', invalid: 'danger' };

/** Every dataset with its format, rows, size and status. */
export function DatasetList() {
  const t = useT(dataMessages);
  const ts = useT(datasetStatusMessages);
  const f = useFormatters();
  const q = useDatasets();
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  if (q.data.length === 0) return <p className="muted">{t('empty')}</p>;
  return (
    <table className="table">
      <caption className="sr-only">{t('datasets')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('name')}</th>
          <th scope="col">{t('format')}</th>
          <th scope="col">{t('rows')}</th>
          <th scope="col">{t('size')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('created')}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.map((d) => (
          <tr key={d.id}>
            <td translate="no">
              <Link href={paths.dataset(d.id)}>{d.name}</Link>
            </td>
            <td translate="no">{d.format ?? '–'}</td>
            <td className="num">{f.number(d.rows)}</td>
            <td className="num" translate="no">
              {f.bytes(d.size_bytes)}
            </td>
            <td>
              <Badge tone={TONES[d.status]}>{ts(d.status)}</Badge>
            </td>
            <td className="nowrap">{f.dateTime(d.created_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
