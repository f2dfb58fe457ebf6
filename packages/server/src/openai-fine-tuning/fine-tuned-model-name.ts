/** The owner part of a model name when the key has no project (keys have none yet). */
export const DEFAULT_OWNER = 'whetstone';

/**
 * OpenAI's layout for a fine-tuned model: ft:<base>:<owner>:<suffix>:<job id> (an empty suffix
 * when none was given). The native job is named so, and its result model takes the job's name.
 */
export const fineTunedModelName = (base: string, owner: string, suffix: string | null | undefined, jobId: string) => `ft:${base}:${owner}:${suffix ?? ''}:${jobId}`;

/** A checkpoint's model name: the job's name (for OpenAI jobs, its ft: name) and :ckpt-step-N. */
export const checkpointModelName = (jobName: string, step: number) => `${jobName}:ckpt-step-${step}`;

/** The job name and step a checkpoint model name holds, or null for any other name. */
export function parseCheckpointModelName(name: string): { jobName: string; step: number } | null {
  const m = /^(.+):ckpt-step-(\d{1,9})$/.exec(name);
  return m ? { jobName: m[1]!, step: Number(m[2]) } : null;
}
