import { type ReactNode } from 'react';
import { Badge, type Tone } from '../../../components/badge.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Section } from '../../../components/section.tsx';
import { paths } from '../../../config/paths.ts';
import { ApiError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useDataset, type Dataset } from '../api/use-datasets.ts';
import { dataMessages, datasetDetailMessages, datasetStatusMessages } from '../data.i18n.ts';
import { DatasetPreview } from './dataset-preview.tsx';
import { DatasetStats } from './dataset-stats.tsx';
import { ValidationReport } from './validation-report.tsx';
import './dataset-details.css';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';

const TONES: Record<Dataset['status'], Tone> = { processing: 'info', ready: 'success', invalid: 'danger' };

/** One dataset: its facts, the validation report, a paged preview and token statistics per model. */
/** The method a dataset's rows train (preference pairs: DPO, the usual choice after SFT). */
const METHOD_OF_PURPOSE: Record<string, string> = { sft: 'sft', pretrain: 'pretrain', preference: 'dpo' };

export function DatasetDetails({ id }: { id: string }) {
  const t = useT(datasetDetailMessages);
  const td = useT(dataMessages);
  const ts = useT(datasetStatusMessages);
  const f = useFormatters();
  const q = useDataset(id);
  const d = q.data;
  useDocumentTitle(d ? t('pageTitle', { name: d.name }) : t('heading'));

  if (q.error) {
    const missing = q.error instanceof ApiError && q.error.code === 'DATASET_NOT_FOUND';
    return (
      <>
        <h1>{t('heading')}</h1>
        {missing ? <p className="muted">{t('notFound')}</p> : <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />}
        <p>
          <Link href={paths.data()}>{t('back')}</Link>
        </p>
      </>
    );
  }
  if (!d) return <Loading />;
  const facts: [string, ReactNode][] = [
    [td('status'), <Badge tone={TONES[d.status]}>{ts(d.status)}</Badge>],
    [td('format'), <span translate="no">{d.format ?? '–'}</span>],
    [td('rows'), f.number(d.rows)],
    [td('size'), <span translate="no">{f.bytes(d.size_bytes)}</span>],
    [t('purpose'), <span translate="no">{d.purpose}</span>],
    [td('created'), f.dateTime(d.created_at)],
  ];
  return (
    <>
      <p className="small-text">
        <Link href={paths.data()}>{t('back')}</Link>
      </p>
      <div className="page-head">
        <h1>
          {t('heading')} <span translate="no">{d.name}</span>
        </h1>
        {d.status === 'ready' && METHOD_OF_PURPOSE[d.purpose] && (
          <Link className="button primary" href={`${paths.newJob()}?dataset=${encodeURIComponent(d.id)}&method=${METHOD_OF_PURPOSE[d.purpose]}`}>
            {t('fineTune')}
          </Link>
        )}
      </div>
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {d.status !== 'ready' && (
        <Section title={t('validation')} id="validation">
          <ValidationReport dataset={d} />
          {d.status === 'processing' && <p className="muted">{t('notReady')}</p>}
        </Section>
      )}
      {d.status === 'ready' && (
        <>
          <Section title={t('stats')} id="stats">
            <DatasetStats datasetId={d.id} />
          </Section>
          <Section title={t('preview')} id="preview">
            <DatasetPreview datasetId={d.id} total={d.rows} />
          </Section>
        </>
      )}
    </>
  );
}
