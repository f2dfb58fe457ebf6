import { z } from 'zod';

/** What the training curves say about a job, worst first: `GET /api/v1/jobs/:id/diagnosis`. */
export const DiagnosisVerdictSchema = z.enum(['unstable', 'overfitting', 'rewards_falling', 'not_converging', 'healthy', 'too_early']);
export type DiagnosisVerdict = z.infer<typeof DiagnosisVerdictSchema>;

/** One observation behind a verdict, in plain words with the numbers it rests on. */
export const DiagnosisEvidenceSchema = z.object({
  metric: z.enum(['loss', 'eval_loss', 'grad_norm', 'learning_rate', 'job', 'reward_margin', 'rewards_chosen', 'rewards_rejected', 'preference_accuracy']),
  message: z.string(),
  /** The steps it is about (a spike, the best eval step...). */
  steps: z.array(z.number().int()),
  values: z.record(z.string(), z.number().nullable()),
});
export type DiagnosisEvidence = z.infer<typeof DiagnosisEvidenceSchema>;

export const DiagnosisFindingSchema = z.object({
  verdict: DiagnosisVerdictSchema,
  evidence: z.array(DiagnosisEvidenceSchema),
  advice: z.array(z.string()),
});
export type DiagnosisFinding = z.infer<typeof DiagnosisFindingSchema>;

export const DiagnosisSchema = z.object({
  /** The most serious finding. */
  verdict: DiagnosisVerdictSchema,
  /** One sentence for a person. */
  summary: z.string(),
  evidence: z.array(DiagnosisEvidenceSchema),
  advice: z.array(z.string()),
  /** Every finding, most serious first (the first is the verdict); e.g. unstable and over-fitting at once. */
  findings: z.array(DiagnosisFindingSchema),
  /** How much there was to judge from. */
  points: z.object({ loss: z.number().int(), eval_loss: z.number().int(), grad_norm: z.number().int(), learning_rate: z.number().int(), last_step: z.number().int().nullable() }),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

/** `GET /api/v1/jobs/:id/diagnosis` */
export const JobDiagnosisSchema = DiagnosisSchema.extend({ job_id: z.string() });
export type JobDiagnosis = z.infer<typeof JobDiagnosisSchema>;
