import { useEffect, useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { ProgressBar } from '../../../components/progress-bar.tsx';
import { ApiError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { DraftPhase, QaDraftFields, QaDraftResponse } from '../api/use-draft-qa.ts';
import { useDraftConnections, useDraftModels } from '../api/use-qa-sources.ts';
import { qaMessages } from '../qa.i18n.ts';

/** Which part of the form a server error belongs beside. */
const SOURCE_FIELDS = new Set(['model', 'connection', 'endpoint']);

interface Props {
  onDraft(file: File, fields: QaDraftFields): Promise<QaDraftResponse>;
  pending: boolean;
  progress: DraftPhase | null;
  error: unknown;
  onCancel(): void;
}

/** The document, who drafts (a registered model or a connection), chunk size and pairs per chunk; progress while it runs. */
export function QaDraftForm({ onDraft, pending, progress, error, onCancel }: Props) {
  const t = useT(qaMessages);
  const id = useId();
  const models = useDraftModels();
  const connections = useDraftConnections();
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState<'model' | 'connection'>('model');
  const [model, setModel] = useState('');
  const [connection, setConnection] = useState('');
  const [remoteModel, setRemoteModel] = useState('');
  const [chunkChars, setChunkChars] = useState('2000');
  const [pairs, setPairs] = useState('3');

  const firstModel = models.data?.[0]?.id ?? '';
  const firstConnection = connections.data?.[0]?.name ?? '';
  useEffect(() => {
    if (!model && firstModel) setModel(firstModel);
    if (!connection && firstConnection) setConnection(firstConnection);
  }, [firstModel, firstConnection, model, connection]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const sizes = { chunk_chars: Number(chunkChars), pairs_per_chunk: Number(pairs) };
    const fields: QaDraftFields = source === 'model' ? { model, ...sizes } : { connection, model: remoteModel.trim() || undefined, ...sizes };
    void onDraft(file, fields).catch(() => undefined); // the error shows beside its field
  };

  const field = error instanceof ApiError ? error.field : undefined;
  const near = (where: 'file' | 'source' | 'sizes' | 'other') => {
    if (!error) return false;
    if (field === 'file') return where === 'file';
    if (field && SOURCE_FIELDS.has(field)) return where === 'source';
    if (field === 'chunk_chars' || field === 'pairs_per_chunk') return where === 'sizes';
    if (error instanceof ApiError && ['MODEL_NOT_FOUND', 'CONNECTION_NOT_FOUND', 'ENDPOINT_FAILED'].includes(error.code)) return where === 'source';
    return where === 'other';
  };
  const current = connections.data?.find((c) => c.name === connection);

  return (
    <form onSubmit={submit} data-testid="qa-form" aria-busy={pending}>
      <div className="field">
        <label htmlFor={`${id}-file`}>{t('document')}</label>
        <input id={`${id}-file`} type="file" accept=".txt,.md,.markdown,.pdf" required disabled={pending} aria-describedby={`${id}-file-hint`} aria-invalid={near('file') || undefined} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <span id={`${id}-file-hint`} className="small-text muted">
          {t('documentHint')}
        </span>
      </div>
      {near('file') && <ErrorMessage error={error} />}

      <fieldset className="chat-rows">
        <legend>{t('source')}</legend>
        <label className="check">
          <input type="radio" name={`${id}-source`} checked={source === 'model'} onChange={() => setSource('model')} />
          <span>{t('sourceModel')}</span>
        </label>
        <label className="check">
          <input type="radio" name={`${id}-source`} checked={source === 'connection'} onChange={() => setSource('connection')} />
          <span>{t('sourceConnection')}</span>
        </label>
        {source === 'model' ? (
          models.data && models.data.length === 0 ? (
            <p className="muted">{t('noModels')}</p>
          ) : (
            <div className="field">
              <label htmlFor={`${id}-model`}>{t('model')}</label>
              <select id={`${id}-model`} value={model} onChange={(e) => setModel(e.target.value)} required translate="no">
                {models.data?.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
          )
        ) : connections.error ? (
          <ErrorMessage error={connections.error} onRetry={() => void connections.refetch()} />
        ) : connections.data && connections.data.length === 0 ? (
          <p className="muted">{t('noConnections')}</p>
        ) : (
          <div className="inline-form">
            <div className="field">
              <label htmlFor={`${id}-connection`}>{t('connection')}</label>
              <select id={`${id}-connection`} value={connection} onChange={(e) => setConnection(e.target.value)} required translate="no">
                {connections.data?.map((c) => (
                  <option key={c.id} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-remote-model`}>{t('connectionModel')}</label>
              <input id={`${id}-remote-model`} value={remoteModel} onChange={(e) => setRemoteModel(e.target.value)} spellCheck={false} autoComplete="off" aria-describedby={`${id}-remote-hint`} />
              <span id={`${id}-remote-hint`} className="small-text muted">
                {t('connectionModelHint', { model: current?.model ?? t('noDefault') })}
              </span>
            </div>
          </div>
        )}
        {near('source') && <ErrorMessage error={error} />}
      </fieldset>

      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-chunk`}>{t('chunkChars')}</label>
          <input id={`${id}-chunk`} type="number" min={200} max={20_000} step={100} required value={chunkChars} onChange={(e) => setChunkChars(e.target.value)} aria-describedby={`${id}-chunk-hint`} />
          <span id={`${id}-chunk-hint`} className="small-text muted">
            {t('chunkCharsHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-pairs`}>{t('pairsPerChunk')}</label>
          <input id={`${id}-pairs`} type="number" min={1} max={20} required value={pairs} onChange={(e) => setPairs(e.target.value)} aria-describedby={`${id}-pairs-hint`} />
          <span id={`${id}-pairs-hint`} className="small-text muted">
            {t('pairsPerChunkHint')}
          </span>
        </div>
      </div>
      {near('sizes') && <ErrorMessage error={error} />}

      <div className="actions">
        <button type="submit" className="button primary" disabled={pending || !file}>
          {pending ? t('drafting') : t('submit')}
        </button>
        {pending && (
          <button type="button" className="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        )}
      </div>
      {progress && file && <DraftProgress progress={progress} name={file.name} />}
      {near('other') && <ErrorMessage error={error} />}
    </form>
  );
}

/** Bytes while the document uploads; then an open-ended bar with the seconds waited, since the route answers once at the end. */
function DraftProgress({ progress, name }: { progress: DraftPhase; name: string }) {
  const t = useT(qaMessages);
  const f = useFormatters();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (progress.phase !== 'drafting') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [progress.phase]);
  return (
    <div className="upload-progress" role="status" data-testid="qa-progress" data-phase={progress.phase}>
      {progress.phase === 'uploading' ? (
        <>
          <p>{t('uploading', { name })}</p>
          <ProgressBar value={progress.loaded} max={progress.total || null} label={t('draftProgress')} />
          <p className="small-text muted">
            {f.bytes(progress.loaded)} / {f.bytes(progress.total)}
          </p>
        </>
      ) : (
        <>
          <p>{t('waiting', { name, seconds: Math.max(0, Math.round((now - progress.since) / 1000)) })}</p>
          <ProgressBar value={0} max={null} label={t('draftProgress')} />
        </>
      )}
    </div>
  );
}
