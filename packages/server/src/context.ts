import type { ServerConfig } from './config.ts';
import type { Gateway } from './deployments/gateway.ts';
import type { JobBus } from './jobs/job-bus.ts';
import type { JobWebhook } from './jobs/job-webhook.ts';
import type { Scheduler } from './jobs/scheduler.ts';
import type { ApiKeyStore } from './store/api-key-store.ts';
import type { ConnectionStore } from './store/connection-store.ts';
import type { SettingsStore } from './store/settings-store.ts';
import type { OpenAiJobStore } from './store/openai-job-store.ts';
import type { Store } from './store/store.ts';

/** What every route handler needs; built once in `createServerContext`. */
export interface AppContext {
  config: ServerConfig;
  store: Store;
  bus: JobBus;
  scheduler: Scheduler;
  /** Generation for /v1, the playground and deployments. */
  gateway: Gateway;
  apiKeys: ApiKeyStore;
  /** Outside endpoints an admin configured, with their keys. */
  connections: ConnectionStore;
  /** Run-time settings an admin changes (the job webhook). */
  settings: SettingsStore;
  /** What OpenAI's fine-tuning API adds to jobs (suffix, metadata). */
  openAiJobs: OpenAiJobStore;
  /** POSTs job.finished to the admin's webhook when a job ends. */
  jobWebhook: JobWebhook;
}
