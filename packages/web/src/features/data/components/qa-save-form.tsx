import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { useT } from '../../../lib/i18n.tsx';
import type { Dataset } from '../api/use-datasets.ts';
import { useSaveQaDataset } from '../api/use-save-qa-dataset.ts';
import { qaMessages } from '../qa.i18n.ts';
import { blankRows, datasetNameFor, pairsOf, type QaDraft } from '../utils/qa-draft.ts';

/** Name the dataset and save the reviewed pairs; blank rows are named before anything is sent. Discard drops the drafts. */
export function QaSaveForm({ draft, onSaved, onDiscard }: { draft: QaDraft; onSaved(d: Dataset, rows: number): void; onDiscard(): void }) {
  const t = useT(qaMessages);
  const id = useId();
  const save = useSaveQaDataset();
  const [name, setName] = useState(() => datasetNameFor(draft.filename));
  const blank = blankRows(draft.rows);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (blank.length || draft.rows.length === 0) return;
    const rows = draft.rows.length;
    save.mutate({ name: name.trim(), pairs: pairsOf(draft.rows) }, { onSuccess: (d) => onSaved(d, rows) });
  };
  return (
    <form onSubmit={submit} className="inline-form qa-save" data-testid="qa-save">
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('name')}</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} spellCheck={false} aria-invalid={save.error ? true : undefined} />
      </div>
      <button type="submit" className="button primary" disabled={save.isPending || blank.length > 0 || draft.rows.length === 0} aria-describedby={blank.length ? `${id}-blank` : undefined}>
        {save.isPending ? t('saving') : t('save')}
      </button>
      <button
        type="button"
        className="button danger"
        onClick={() => {
          if (window.confirm(t('confirmDiscard', { n: draft.rows.length }))) onDiscard();
        }}
      >
        {t('discard')}
      </button>
      {blank.length > 0 && (
        <p id={`${id}-blank`} className="notice" role="status">
          {t('blank', { rows: blank.join(', ') })}
        </p>
      )}
      {save.error && <ErrorMessage error={save.error} />}
    </form>
  );
}
