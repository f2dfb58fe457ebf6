import { z } from 'zod';
import { HTTP_URL_PATTERN } from './connections.ts';

/**
 * Server-wide settings an admin changes at run time (stored in the database). The webhook
 * secret is write-only: answers say whether one is set, never what it is.
 */
export const SettingsSchema = z.object({
  job_webhook_url: z.string().nullable().describe('Where a JSON POST goes when a job succeeds, fails or is cancelled; null: none.'),
  job_webhook_secret_set: z.boolean().describe('Whether the POSTs are signed (X-Whet-Signature: sha256=<HMAC of the body>).'),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z
  .object({
    job_webhook_url: z
      .string()
      .max(2000)
      .regex(HTTP_URL_PATTERN, 'an http(s) URL with a host name or IPv4 address, an optional port and path, and no user:password@, query or fragment')
      .nullable()
      .optional()
      .describe('e.g. https://hooks.example.com/whetstone; null removes it.'),
    job_webhook_secret: z
      .string()
      .min(8)
      .max(512)
      .nullable()
      .optional()
      .describe('Signs each POST with HMAC-SHA256 (at least 8 characters); stored on the server and never returned; null removes it.'),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** The body POSTed to the job webhook when a job reaches succeeded, failed or cancelled. */
export const JobFinishedWebhookSchema = z.object({
  event: z.literal('job.finished'),
  job: z.object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['succeeded', 'failed', 'cancelled']),
    model_id: z.string(),
    output_model_id: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string(), hint: z.string() }).loose().nullable(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  }),
  console_url: z.string().describe("The job's page in the web console."),
});
export type JobFinishedWebhook = z.infer<typeof JobFinishedWebhookSchema>;
