import { JobDetails } from '../../features/jobs/components/job-details.tsx';

/** The job page; keyed by id so another job starts with fresh curves. */
export default function JobPage({ id }: { id: string }) {
  return <JobDetails key={id} id={id} />;
}
