import type Database from 'better-sqlite3';
import type { Settings, SettingsPatch } from '@whetstone/core';

/** Where job-end notifications go, with the secret that signs them (only the notifier reads it). */
export interface JobWebhookTarget {
  url: string;
  secret: string | null;
}

type Key = 'job_webhook_url' | 'job_webhook_secret';

/**
 * Run-time settings an admin changes (table `settings`, created by MIGRATIONS in
 * sqlite-store.ts): one row per key that is set. The webhook secret is stored as given, since
 * the server must sign with it; `get` only says whether it is set.
 */
export class SettingsStore {
  constructor(private readonly db: Database.Database) {}

  get(): Settings {
    return { job_webhook_url: this.value('job_webhook_url'), job_webhook_secret_set: this.value('job_webhook_secret') !== null };
  }

  /** Set the fields given; null removes a value, a field left out keeps it. */
  update(patch: SettingsPatch): Settings {
    const set = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    const remove = this.db.prepare('DELETE FROM settings WHERE key = ?');
    this.db.transaction(() => {
      for (const key of ['job_webhook_url', 'job_webhook_secret'] as const) {
        const v = patch[key];
        if (v === null) remove.run(key);
        else if (v !== undefined) set.run(key, v);
      }
    })();
    return this.get();
  }

  /** The webhook to call when a job ends, or null when none is set. */
  jobWebhook(): JobWebhookTarget | null {
    const url = this.value('job_webhook_url');
    return url ? { url, secret: this.value('job_webhook_secret') } : null;
  }

  private value(key: Key): string | null {
    return (this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  }
}
