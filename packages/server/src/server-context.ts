import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { createExecutors } from './executors/create-executors.ts';
import { DeploymentManager } from './deployments/deployment-manager.ts';
import { Gateway } from './deployments/gateway.ts';
import { ModelPool } from './deployments/model-pool.ts';
import { writeWorkerSpec } from './jobs/build-worker-spec.ts';
import { JobBus } from './jobs/job-bus.ts';
import { JobWebhook } from './jobs/job-webhook.ts';
import { Scheduler } from './jobs/scheduler.ts';
import { ApiKeyStore } from './store/api-key-store.ts';
import { ConnectionStore } from './store/connection-store.ts';
import { DeploymentStore } from './store/deployment-store.ts';
import { ExportStore } from './store/export-store.ts';
import { OpenAiJobStore } from './store/openai-job-store.ts';
import { SettingsStore } from './store/settings-store.ts';
import { SqliteStore } from './store/sqlite-store.ts';

/** Open the state folder and the store, wire the scheduler. Call `scheduler.start()` to run jobs. */
export function createServerContext(config: ServerConfig): AppContext {
  for (const d of ['models', 'datasets', 'jobs']) mkdirSync(join(config.home, d), { recursive: true });
  // The database holds connection keys (which the server must be able to send) and key hashes:
  // owner only, set before SQLite opens it, since it gives the -wal and -shm files the same mode.
  const dbPath = join(config.home, 'whet.db');
  closeSync(openSync(dbPath, 'a', 0o600));
  chmodSync(dbPath, 0o600);
  for (const side of ['-wal', '-shm']) if (existsSync(dbPath + side)) chmodSync(dbPath + side, 0o600);
  const store = new SqliteStore(dbPath);
  const bus = new JobBus();
  const ctx = { config, store, bus } as unknown as AppContext;
  ctx.gateway = new Gateway(store, new DeploymentManager(config, store, new DeploymentStore(store.db), new ExportStore(store.db)), new ModelPool(config, store));
  ctx.apiKeys = new ApiKeyStore(store.db);
  ctx.connections = new ConnectionStore(store.db, config.endpointKeyEnvs);
  ctx.settings = new SettingsStore(store.db);
  ctx.openAiJobs = new OpenAiJobStore(store.db);
  ctx.jobWebhook = new JobWebhook(
    {
      target: () => ctx.settings.jobWebhook(),
      note: (jobId, level, message) => {
        if (store.getJob(jobId)) bus.publish(jobId, store.appendEvent(jobId, 'log', { type: 'log', level, message }));
      },
    },
    config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
  );
  ctx.scheduler = new Scheduler({
    config,
    store,
    bus,
    writeSpec: (job, opts) => writeWorkerSpec(ctx, job, opts),
    executorFor: createExecutors(config),
    onFinished: (job) => ctx.jobWebhook.jobFinished(job),
  });
  return ctx;
}
