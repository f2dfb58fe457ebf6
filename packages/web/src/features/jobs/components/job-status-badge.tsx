import type { JobStatus } from '@whetstone/core';
import { Badge, type Tone } from '../../../components/badge.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { jobStatusMessages } from '../jobs.i18n.ts';

const TONES: Record<JobStatus, Tone> = {
  queued: 'neutral',
  validating: 'info',
  running: 'info',
  paused: 'warning',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'neutral',
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  const t = useT(jobStatusMessages);
  return <Badge tone={TONES[status]}>{t(status)}</Badge>;
}
