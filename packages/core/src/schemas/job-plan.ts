import { z } from 'zod';
import { JobSchema } from './entities.ts';

/** How long a planned job should train, and what the figure rests on. */
export const JobEstimateSchema = z.object({
  seconds: z.number().nullable().describe('Estimated training time in seconds; null when nothing to estimate it from.'),
  basis: z
    .enum(['budget', 'history', 'none'])
    .describe('budget: the time budget; history: the median tokens/s of earlier finished runs of this model and tuning on this server; none: no basis.'),
  reason: z.string().describe('How the figure was reached, or why there is none.'),
  tokens_per_sec: z.number().nullable().describe('The measured speed used (history), else null.'),
  runs: z.number().int().describe('Earlier runs the speed was measured from.'),
  tokens: z.number().nullable().describe('Training tokens planned (history), else null.'),
});
export type JobEstimate = z.infer<typeof JobEstimateSchema>;

/** The answer of `POST /jobs?dry_run=true`: the job as it would be created, with its estimated duration (not stored). */
export const JobPlanSchema = JobSchema.extend({ estimate: JobEstimateSchema });
export type JobPlan = z.infer<typeof JobPlanSchema>;
