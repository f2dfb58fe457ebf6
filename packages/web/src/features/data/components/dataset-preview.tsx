import { useState, type ReactNode } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useDatasetRows } from '../api/use-dataset-rows.ts';
import { datasetDetailMessages } from '../data.i18n.ts';

const PAGE = 10;
const ROLES = ['user', 'assistant', 'system', 'tool'] as const;

interface Turn {
  role?: unknown;
  content?: unknown;
}

/** The stored rows a page at a time: each chat turn with its role, or the raw text. */
export function DatasetPreview({ datasetId, total }: { datasetId: string; total: number }) {
  const t = useT(datasetDetailMessages);
  const [offset, setOffset] = useState(0);
  const q = useDatasetRows(datasetId, offset, PAGE, total > 0);
  if (total === 0) return <p className="muted">{t('noRows')}</p>;
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  const from = offset + 1;
  const to = Math.min(offset + q.data.data.length, total);
  const caption = t('previewCaption', { from, to, total });
  return (
    <div className="dataset-preview">
      <table className="table preview-table" aria-busy={q.isPlaceholderData}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('row')}</th>
            <th scope="col">{t('content')}</th>
          </tr>
        </thead>
        <tbody>
          {q.data.data.map((r) => (
            <tr key={r.row} data-row={r.row}>
              <td className="num">{r.row}</td>
              <td className="content">
                <RowContent value={r.value} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <button type="button" className="button small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          {t('previous')}
        </button>
        <span className="muted small-text" aria-live="polite">
          {caption}
        </span>
        <button type="button" className="button small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          {t('next')}
        </button>
      </div>
    </div>
  );
}

function RowContent({ value }: { value: unknown }) {
  const t = useT(datasetDetailMessages);
  const roleLabel = (role: unknown): ReactNode =>
    typeof role === 'string' && (ROLES as readonly string[]).includes(role) ? t(`role_${role as (typeof ROLES)[number]}`) : <span translate="no">{String(role)}</span>;
  const text = (c: unknown) => (typeof c === 'string' ? c : JSON.stringify(c));
  const v = (value ?? {}) as { messages?: Turn[]; text?: unknown; chosen?: Turn; rejected?: Turn };
  const turns: [ReactNode, unknown][] = [];
  for (const m of v.messages ?? []) turns.push([roleLabel(m.role), m.content]);
  if (v.chosen) turns.push([t('chosen'), v.chosen.content]);
  if (v.rejected) turns.push([t('rejected'), v.rejected.content]);
  if (turns.length === 0) return <span translate="no">{text(v.text ?? value)}</span>;
  return (
    <>
      {turns.map(([role, content], i) => (
        <div key={i} className="turn">
          <span className="turn-role">{role}</span>{' '}
          <span translate="no">{text(content)}</span>
        </div>
      ))}
    </>
  );
}
