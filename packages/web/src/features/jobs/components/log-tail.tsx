import { useEffect, useRef } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useJobLogs } from '../api/use-job-logs.ts';
import { jobsMessages } from '../jobs.i18n.ts';

/** The last lines of the job's log, following new lines while the view is at the bottom. */
export function LogTail({ jobId, active }: { jobId: string; active: boolean }) {
  const t = useT(jobsMessages);
  const q = useJobLogs(jobId, active);
  const box = useRef<HTMLPreElement>(null);
  const lines = q.data ?? [];
  useEffect(() => {
    const el = box.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 40) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (lines.length === 0) return <p className="muted">{t('noLogs')}</p>;
  return (
    <pre className="log" ref={box} tabIndex={0} aria-label={t('logs')} translate="no">
      {lines.map((l) => (
        <span key={l.seq} className={`log-${l.level}`}>
          {l.time.slice(11, 19)} {l.message}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
