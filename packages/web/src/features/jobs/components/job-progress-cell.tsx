import { ProgressBar } from '../../../components/progress-bar.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { Job } from '../api/job-types.ts';
import { jobsMessages } from '../jobs.i18n.ts';

/** Step of total with a bar and the time left. */
export function JobProgressCell({ job }: { job: Job }) {
  const t = useT(jobsMessages);
  const f = useFormatters();
  const { step, total_steps: total, eta_seconds: eta } = job.progress;
  return (
    <div className="progress-cell">
      <ProgressBar value={step} max={total} label={t('jobProgress', { name: job.name })} />
      <span className="small-text">
        {total ? t('stepOf', { step, total }) : t('stepOnly', { step })}
        {eta !== null && job.status === 'running' ? ` · ${t('eta', { time: f.duration(eta) })}` : ''}
      </span>
    </div>
  );
}
