import { useId, useRef, useState, type DragEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { ProgressBar } from '../../../components/progress-bar.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useDataset } from '../api/use-datasets.ts';
import { useUploadDataset } from '../api/use-upload-dataset.ts';
import { dataMessages } from '../data.i18n.ts';
import { ValidationReport } from './validation-report.tsx';

/**
 * Drop a file (or choose one with the keyboard): it uploads with a progress bar, then the
 * server's verdict shows here, with every bad line, its field and the fix.
 */
export function DatasetUpload() {
  const t = useT(dataMessages);
  const f = useFormatters();
  const upload = useUploadDataset();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [keepGood, setKeepGood] = useState(false);
  const hintId = useId();
  const result = useDataset(upload.data?.id ?? null, upload.data);

  const start = (file: File | undefined) => {
    if (!file || upload.isPending) return;
    upload.mutate({ file, keepGoodRows: keepGood });
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    start(e.dataTransfer.files[0]);
  };

  return (
    <div className="upload">
      <div
        className={over ? 'dropzone over' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p>{t('dropHere')}</p>
        <label className="button primary">
          {t('choose')}
          <input
            ref={input}
            type="file"
            className="sr-only"
            accept=".jsonl,.json,.csv,.parquet,.txt,.gz,.zst"
            aria-describedby={hintId}
            disabled={upload.isPending}
            onChange={(e) => {
              start(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
        <p id={hintId} className="muted small-text">
          {t('formats')}
        </p>
      </div>
      <label className="check">
        <input type="checkbox" checked={keepGood} onChange={(e) => setKeepGood(e.target.checked)} />
        <span>{t('keepGood')}</span>
      </label>
      {upload.progress && (
        <div className="upload-progress">
          <p>{t('uploading', { name: upload.progress.name })}</p>
          <ProgressBar value={upload.progress.loaded} max={upload.progress.total || null} label={t('uploading', { name: upload.progress.name })} />
          <p className="small-text muted">{t('uploaded', { loaded: f.bytes(upload.progress.loaded), total: f.bytes(upload.progress.total) })}</p>
        </div>
      )}
      {upload.error && <ErrorMessage error={upload.error} />}
      {result.data && !upload.isPending && <ValidationReport dataset={result.data} />}
      {result.data?.status === 'ready' && !upload.isPending && (
        <p>
          <Link href={paths.dataset(result.data.id)}>{t('openDataset')}</Link>
        </p>
      )}
    </div>
  );
}
