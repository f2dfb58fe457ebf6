import { useT } from '../../../lib/i18n.tsx';
import { qaMessages } from '../qa.i18n.ts';
import { addRow, deleteRow, updateRow, type QaDraft } from '../utils/qa-draft.ts';

/** The drafts as an editable table: question and answer cells, the source excerpt, delete a row, add one. */
export function QaDraftTable({ draft, onChange }: { draft: QaDraft; onChange(d: QaDraft): void }) {
  const t = useT(qaMessages);
  return (
    <>
      {draft.rows.length === 0 ? (
        <p className="muted">{t('noRows')}</p>
      ) : (
        <table className="table qa-table" data-testid="qa-table">
          <caption className="sr-only">{t('reviewSection')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('number')}</th>
              <th scope="col">{t('question')}</th>
              <th scope="col">{t('answer')}</th>
              <th scope="col">{t('excerpt')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {draft.rows.map((r, i) => (
              <tr key={r.key} data-row={i + 1}>
                <td className="num">{i + 1}</td>
                <td>
                  <textarea rows={3} translate="no" aria-label={t('questionN', { n: i + 1 })} value={r.question} onChange={(e) => onChange(updateRow(draft, r.key, { question: e.target.value }))} />
                </td>
                <td>
                  <textarea rows={3} translate="no" aria-label={t('answerN', { n: i + 1 })} value={r.answer} onChange={(e) => onChange(updateRow(draft, r.key, { answer: e.target.value }))} />
                </td>
                <td className="excerpt">
                  {r.chunk === null ? (
                    <span className="muted">{t('handWritten')}</span>
                  ) : (
                    <>
                      <span className="small-text">{t('chunkN', { n: r.chunk + 1 })}</span>
                      {draft.excerpts[r.chunk] && <blockquote translate="no">{draft.excerpts[r.chunk]}</blockquote>}
                    </>
                  )}
                </td>
                <td>
                  <button type="button" className="button small danger" aria-label={t('deleteN', { n: i + 1 })} onClick={() => onChange(deleteRow(draft, r.key))}>
                    {t('delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button type="button" className="button" onClick={() => onChange(addRow(draft))}>
          {t('addRow')}
        </button>
      </p>
    </>
  );
}
