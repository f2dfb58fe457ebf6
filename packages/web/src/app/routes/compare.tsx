import { CompareView } from '../../features/compare/components/compare-view.tsx';
import { JobStatusBadge } from '../../features/jobs/components/job-status-badge.tsx';

/** Compare runs (`/compare?jobs=id1,id2`); the jobs feature lends its status badge. */
export default function ComparePage() {
  return <CompareView statusBadge={(status) => <JobStatusBadge status={status} />} />;
}
