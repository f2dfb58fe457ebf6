import { useId, useState } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useDatasetStats, type DatasetStatsReport } from '../api/use-dataset-stats.ts';
import { useStatsModels } from '../api/use-stats-models.ts';
import { adviceMessages, datasetDetailMessages } from '../data.i18n.ts';
import { lengthBins, seqLenCovering } from '../utils/length-bins.ts';
import { LabelSetTable } from './label-set-table.tsx';
import { LengthHistogram } from './length-histogram.tsx';

/**
 * Token statistics of a ready dataset with a chosen model's tokenizer: the numbers, the length
 * histogram, a labelling set's labels and the advice (which max_seq_len keeps 95% and 99% of samples whole, whether the
 * data fits the model's context). A large file is counted in the background; this polls.
 */
export function DatasetStats({ datasetId }: { datasetId: string }) {
  const t = useT(datasetDetailMessages);
  const models = useStatsModels();
  const [chosen, setChosen] = useState<string | null>(null);
  const selectId = useId();
  const model = chosen ?? models.data?.[0]?.id ?? null;
  const stats = useDatasetStats(datasetId, model);

  if (models.error) return <ErrorMessage error={models.error} onRetry={() => void models.refetch()} />;
  if (!models.data) return <Loading />;
  if (models.data.length === 0) return <p className="muted">{t('noModels')}</p>;
  return (
    <div className="dataset-stats" data-status={stats.data?.status ?? 'loading'}>
      <div className="stats-model">
        <label className="field" htmlFor={selectId}>
          <span>{t('model')}</span>
          <select id={selectId} value={model ?? ''} onChange={(e) => setChosen(e.target.value)}>
            {models.data.map((m) => (
              <option key={m.id} value={m.id} translate="no">
                {m.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {stats.error && <ErrorMessage error={stats.error} onRetry={() => void stats.refetch()} />}
      {!stats.data && !stats.error && <Loading />}
      {stats.data?.status === 'counting' && (
        <p role="status" className="muted">
          {t('counting')}
        </p>
      )}
      {stats.data?.status === 'ready' && <StatsReport report={stats.data} />}
    </div>
  );
}

function StatsReport({ report }: { report: DatasetStatsReport }) {
  const t = useT(datasetDetailMessages);
  const ta = useT(adviceMessages);
  const f = useFormatters();
  const tokens = report.stats.tokens;
  const modelName = report.model?.name ?? '';
  const ctx = report.model?.context_length ?? null;
  const tokensOf = (n: number) => t('tokensUnit', { n });
  const over = tokens && ctx !== null ? tokens.length_counts.filter(([len]) => len > ctx).reduce((a, [, c]) => a + c, 0) : 0;
  const facts: [string, string][] = [[t('samples'), f.number(report.stats.rows)]];
  if (tokens) {
    facts.push(
      [t('totalTokens'), f.number(tokens.total)],
      [t('median'), tokensOf(tokens.per_sample.p50)],
      [t('p95'), tokensOf(tokens.per_sample.p95)],
      [t('p99'), tokensOf(tokens.per_sample.p99)],
      [t('longest'), tokensOf(tokens.per_sample.max)],
    );
    if (ctx !== null) facts.push([t('context', { model: modelName }), tokensOf(ctx)]);
  }
  return (
    <>
      <dl className="facts stats-facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {report.stats.label_set && (
        <>
          <h3>{t('labels')}</h3>
          <LabelSetTable set={report.stats.label_set} />
        </>
      )}
      {tokens ? (
        <>
          <h3>{t('histogram')}</h3>
          <LengthHistogram bins={lengthBins(tokens.length_counts)} p95={tokens.per_sample.p95} p99={tokens.per_sample.p99} />
        </>
      ) : (
        <p className="muted">{t('noTokens')}</p>
      )}
      <h3>{t('advice')}</h3>
      <ul className="advice-list" data-testid="advice">
        {tokens && (
          <>
            <li data-advice="fits95">{t('fits95', { n: seqLenCovering(tokens.per_sample.p95) })}</li>
            <li data-advice="fits99">{t('fits99', { n: seqLenCovering(tokens.per_sample.p99) })}</li>
            {ctx !== null && (
              <li data-advice="context" className={over ? 'warning' : undefined}>
                {over ? t('overContext', { count: over, model: modelName, n: ctx }) : t('fitsContext', { model: modelName, n: ctx })}
              </li>
            )}
          </>
        )}
        {report.advice
          .filter((a) => a.code !== 'context_p95')
          .map((a) => (
            <li key={a.code} data-advice={a.code} className={a.level === 'warning' ? 'warning' : undefined}>
              {a.code in adviceMessages.en ? ta(a.code as keyof typeof adviceMessages.en, { ...a.numbers, ...a.words }) : <span translate="no">{a.message}</span>}
            </li>
          ))}
      </ul>
    </>
  );
}
