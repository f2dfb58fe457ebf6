import { useState } from 'react';
import { Section } from '../../../components/section.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import type { Dataset } from '../api/use-datasets.ts';
import { useDraftQa } from '../api/use-draft-qa.ts';
import { useStoredQaDraft } from '../hooks/use-stored-qa-draft.ts';
import { qaMessages } from '../qa.i18n.ts';
import { draftFromAnswer } from '../utils/qa-draft.ts';
import { QaDraftForm } from './qa-draft-form.tsx';
import { QaDraftTable } from './qa-draft-table.tsx';
import { QaSaveForm } from './qa-save-form.tsx';
import './data-tools.css';

/** Draft pairs from a document, review them in the table (kept across reloads), save them as a dataset. */
export function QaDrafts() {
  const t = useT(qaMessages);
  const draftQa = useDraftQa();
  const [draft, setDraft] = useStoredQaDraft();
  // A draft found in storage when the page opened was made earlier: say so.
  const [restored, setRestored] = useState(() => draft !== null);
  const [saved, setSaved] = useState<{ dataset: Dataset; rows: number } | null>(null);

  return (
    <>
      <Section title={t('draftSection')} id="qa-draft">
        <QaDraftForm
          pending={draftQa.isPending}
          progress={draftQa.progress}
          error={draftQa.error}
          onCancel={draftQa.cancel}
          onDraft={(file, fields) =>
            draftQa.mutateAsync({ file, fields }).then((answer) => {
              setSaved(null);
              setRestored(false);
              setDraft(draftFromAnswer(answer));
              return answer;
            })
          }
        />
      </Section>
      <Section title={t('reviewSection')} id="qa-review">
        {saved && (
          <p className="report" role="status" data-testid="qa-saved">
            {t('saved', { rows: saved.rows, name: saved.dataset.name })} <Link href={paths.dataset(saved.dataset.id)}>{t('openSaved')}</Link>
          </p>
        )}
        {draft ? (
          <>
            {restored && <p className="small-text muted">{t('restored')}</p>}
            <p>{t('fromDocument', { rows: draft.rows.length, name: draft.filename, used: draft.chunksUsed, total: draft.chunksTotal })}</p>
            {draft.failures.length > 0 && (
              <div className="notice" data-testid="qa-failures">
                <p>{t('failures', { n: draft.failures.length })}</p>
                <ul>
                  {draft.failures.map((f) => (
                    <li key={f.chunk_index}>
                      {t('chunkN', { n: f.chunk_index + 1 })}: <span translate="no">{f.message}</span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <QaDraftTable draft={draft} onChange={setDraft} />
            <h3>{t('saveSection')}</h3>
            <QaSaveForm
              key={draft.filename}
              draft={draft}
              onDiscard={() => setDraft(null)}
              onSaved={(dataset, rows) => {
                setSaved({ dataset, rows });
                setDraft(null);
              }}
            />
          </>
        ) : (
          !saved && <p className="muted">{t('empty')}</p>
        )}
      </Section>
    </>
  );
}
