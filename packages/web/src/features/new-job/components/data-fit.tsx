import { ErrorMessage } from '../../../components/error-message.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useDataFit } from '../api/use-job-choices.ts';
import { newJobMessages } from '../new-job.i18n.ts';
import { fitWithin } from '../utils/fit-within.ts';

/**
 * Whether the chosen data fits the chosen model, from its token lengths with the model's
 * tokenizer: the share of samples within the max_seq_len the job will use (and how many it would
 * cut), and whether any is longer than the model's context. `label` names the dataset in a mix.
 */
export function DataFit({ dataset, model, maxSeqLen, label }: { dataset: string; model: string; maxSeqLen: number | null; label?: string }) {
  const t = useT(newJobMessages);
  const f = useFormatters();
  const q = useDataFit(dataset, model);
  const named = label ? (
    <>
      <span translate="no">{label}</span>:{' '}
    </>
  ) : null;
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data || q.data.status === 'counting') {
    return (
      <p className="fit muted" role="status">
        {named}
        {t('fitChecking')}
      </p>
    );
  }
  const tokens = q.data.stats.tokens;
  const ctx = q.data.model?.context_length ?? null;
  const name = q.data.model?.name ?? model;
  if (!tokens) return <p className="fit muted">{named}{t('fitUnknown')}</p>;
  const seq = maxSeqLen !== null ? fitWithin(tokens.length_counts, maxSeqLen) : null;
  const over = ctx !== null ? fitWithin(tokens.length_counts, ctx).cut : 0;
  return (
    <div className={`fit${over > 0 ? ' over' : ''}`} data-fit={over > 0 ? 'over' : 'ok'} data-cut={seq?.cut ?? ''}>
      {seq && (
        <p data-fit-seq-len={maxSeqLen}>
          {named}
          {seq.cut === 0
            ? t('fitSeqAll', { limit: f.number(maxSeqLen!), max: f.number(tokens.per_sample.max) })
            : t('fitSeqSome', { percent: f.number(seq.percent, 1), limit: f.number(maxSeqLen!), cut: f.number(seq.cut) })}
        </p>
      )}
      <p>
        {!seq && named}
        {ctx === null
          ? t('fitNoContext', { p99: tokens.per_sample.p99 })
          : over > 0
            ? t('fitOver', { count: over, rows: f.number(q.data.stats.rows), ctx, model: name })
            : t('fitOk', { p99: tokens.per_sample.p99, max: tokens.per_sample.max, ctx, model: name })}
      </p>
    </div>
  );
}
