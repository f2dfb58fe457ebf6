import { memo } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useT } from '../../../lib/i18n.tsx';
import type { Column } from '../api/playground-session.ts';
import { columnStatusMessages, playgroundMessages } from '../playground.i18n.ts';

const STATUS_BADGE: Record<Column['status'], string> = {
  waiting: 'badge-neutral',
  streaming: 'badge-info',
  done: 'badge-success',
  error: 'badge-danger',
  stopped: 'badge-warning',
};

/**
 * One model's answer to one prompt: the text as it streams in, then its latency (time to first
 * token, total) and speed; a failure shows here, with the server's hint, beside the other answer.
 */
export const AnswerColumn = memo(function AnswerColumn({ column, showModel }: { column: Column; showModel: boolean }) {
  const t = useT(playgroundMessages);
  const ts = useT(columnStatusMessages);
  const f = useFormatters();
  const ms = (v: number | null) => (v === null ? t('none') : t('ms', { n: v }));
  return (
    <article className="pg-answer" data-status={column.status} data-model={column.model} aria-label={t('answerOf', { model: column.model })} aria-busy={column.status === 'streaming' || column.status === 'waiting'}>
      <div className="pg-answer-head">
        {showModel && (
          <strong className="pg-model" translate="no">
            {column.model}
          </strong>
        )}
        <span className={`badge ${STATUS_BADGE[column.status]}`} role="status">
          {ts(column.status)}
        </span>
      </div>
      {column.text ? (
        <div className="pg-text" translate="no" data-deltas={column.deltas}>
          {column.text}
        </div>
      ) : (
        column.status !== 'error' && (
          <p className="muted small-text" data-deltas={column.deltas}>
            {t('noText')}
          </p>
        )
      )}
      {column.error && <ErrorMessage error={column.error} />}
      <dl className="pg-metrics small-text">
        <div>
          <dt>{t('ttft')}</dt>
          <dd data-metric="ttft">{ms(column.firstTokenMs)}</dd>
        </div>
        <div>
          <dt>{t('total')}</dt>
          <dd data-metric="total">{ms(column.totalMs)}</dd>
        </div>
        <div>
          <dt>{t('speed')}</dt>
          <dd data-metric="tokens-per-second">{column.tokensPerSecond === null ? t('none') : t('tokensPerSecond', { n: f.number(column.tokensPerSecond, 1) })}</dd>
        </div>
        <div>
          <dt>{t('tokens')}</dt>
          <dd data-metric="tokens">{column.completionTokens === null ? t('none') : f.number(column.completionTokens)}</dd>
        </div>
      </dl>
    </article>
  );
});
