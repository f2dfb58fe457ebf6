/** A column source naming one checkpoint of a job: `checkpoint:<job id>@<step>`. */
export const checkpointSource = (jobId: string, step: number) => `checkpoint:${jobId}@${step}`;

/** The job and step of a checkpoint source, or null for any other source. */
export function parseCheckpointSource(source: string): { jobId: string; step: number } | null {
  const m = /^checkpoint:(.+)@(\d+)$/.exec(source);
  return m ? { jobId: m[1]!, step: Number(m[2]) } : null;
}

/**
 * What a link into the evaluation form asks to preselect: `?job=ID&checkpoint=STEP` (the job
 * page's "Evaluate") puts that checkpoint in the first column and the job's held-out data as
 * the test set; `?job=ID` alone only the test set. Anything malformed is ignored.
 */
export function prefillFromUrl(search: string): { jobId: string; step: number | null } | null {
  const q = new URLSearchParams(search);
  const jobId = q.get('job')?.trim();
  if (!jobId) return null;
  const raw = q.get('checkpoint');
  const step = raw && /^\d{1,9}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
  return { jobId, step };
}
