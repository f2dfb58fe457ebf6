import { Badge, type Tone } from '../../../components/badge.tsx';
import { useT } from '../../../lib/i18n.tsx';
import type { BenchmarkStatus } from '../api/benchmark-types.ts';
import { benchmarkStatusMessages } from '../benchmarks.i18n.ts';

const TONES: Record<BenchmarkStatus, Tone> = { queued: 'neutral', running: 'info', succeeded: 'success', failed: 'danger' };

export function BenchmarkStatusBadge({ status }: { status: BenchmarkStatus }) {
  const t = useT(benchmarkStatusMessages);
  return <Badge tone={TONES[status]}>{t(status)}</Badge>;
}
