import { useId, useState, type FormEvent, type MouseEvent } from 'react';
import { Badge, type Tone } from '../../../components/badge.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { ProgressBar } from '../../../components/progress-bar.tsx';
import { apiFetch } from '../../../lib/api-fetch.ts';
import { errorFromResponse, networkError, storedError } from '../../../lib/api-error.ts';
import { getApiKey } from '../../../lib/api-key.ts';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useCreateExport, useModelExports, type Export, type ExportFormat, type GgufQuantization } from '../api/use-exports.ts';
import type { Model } from '../api/use-models.ts';
import { exportMessages } from '../models.i18n.ts';

const QUANTIZATIONS: GgufQuantization[] = ['f16', 'q8_0', 'q4_0', 'q4_1'];
const TONES: Record<Export['status'], Tone> = { running: 'info', succeeded: 'success', failed: 'danger' };

/** Export a model (merged, GGUF with its quantization, PEFT for adapters), follow it, download the files. */
export function ModelExports({ model }: { model: Model }) {
  const t = useT(exportMessages);
  const formats: ExportFormat[] = model.kind === 'adapter' ? ['merged', 'gguf', 'peft'] : ['merged', 'gguf'];
  const [format, setFormat] = useState<ExportFormat>(formats[0]!);
  const [quant, setQuant] = useState<GgufQuantization>('f16');
  const create = useCreateExport(model.id);
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(format === 'gguf' ? { format, quantization: quant } : { format });
  };
  return (
    <>
      <form onSubmit={submit} className="inline-form" data-testid="export-form">
        <div className="field">
          <label htmlFor={`${id}-format`}>{t('format')}</label>
          <select id={`${id}-format`} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            {formats.map((f) => (
              <option key={f} value={f}>
                {t(f)}
              </option>
            ))}
          </select>
        </div>
        {format === 'gguf' && (
          <div className="field">
            <label htmlFor={`${id}-quant`}>{t('quantization')}</label>
            <select id={`${id}-quant`} value={quant} onChange={(e) => setQuant(e.target.value as GgufQuantization)} translate="no">
              {QUANTIZATIONS.map((q) => (
                <option key={q} value={q}>
                  {q}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? t('starting') : t('start')}
        </button>
      </form>
      {create.error && <ErrorMessage error={create.error} />}
      <ExportList modelId={model.id} />
    </>
  );
}

function ExportList({ modelId }: { modelId: string }) {
  const t = useT(exportMessages);
  const f = useFormatters();
  const q = useModelExports(modelId);
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  if (q.data.length === 0) return <p className="muted">{t('empty')}</p>;
  return (
    <table className="table">
      <caption className="sr-only">{t('title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('format')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('size')}</th>
          <th scope="col">{t('files')}</th>
          <th scope="col">{t('created')}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.map((e) => (
          <tr key={e.id} data-export-id={e.id}>
            <td>
              {t(e.format)}
              {e.quantization && <span translate="no"> ({e.quantization})</span>}
            </td>
            <td>
              <Badge tone={TONES[e.status]}>{t(e.status)}</Badge>
              {e.status === 'running' && <ProgressBar value={0} max={null} label={t('running')} />}
              {e.error && <ErrorMessage error={storedError(e.error)} />}
            </td>
            <td className="num" translate="no">
              {e.size_bytes === null ? '–' : f.bytes(e.size_bytes)}
            </td>
            <td>
              <ul className="plain-list">
                {e.files.map((name) => (
                  <li key={name}>
                    <DownloadLink exportId={e.id} name={name} />
                  </li>
                ))}
              </ul>
            </td>
            <td>{f.dateTime(e.created_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A plain link when the server needs no key; with a key (it cannot ride on a link) the file is
 * fetched with the Authorization header and handed to the browser as a download.
 */
function DownloadLink({ exportId, name }: { exportId: string; name: string }) {
  const t = useT(exportMessages);
  const [error, setError] = useState<unknown>(null);
  const href = `/api/v1/exports/${encodeURIComponent(exportId)}/files/${encodeURIComponent(name)}`;
  const withKey = async (e: MouseEvent) => {
    if (!getApiKey()) return;
    e.preventDefault();
    setError(null);
    try {
      const res = await apiFetch(href).catch((err: unknown) => Promise.reject(networkError(err)));
      if (!res.ok) throw await errorFromResponse(res);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <a href={href} download={name} onClick={(e) => void withKey(e)} aria-label={t('download', { name })}>
        <span translate="no">{name}</span>
      </a>
      {error !== null && <ErrorMessage error={error} />}
    </>
  );
}
