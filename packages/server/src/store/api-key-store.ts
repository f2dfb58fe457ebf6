import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ApiKey, ApiKeyRole } from '@whetstone/core';
import { newId, nowIso } from '../ids.ts';

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  role: ApiKeyRole;
  salt: string;
  hash: string;
  rate_limit_per_minute: number | null;
  created_at: string;
  last_used_at: string | null;
}

const PREFIX_LEN = 12; // "whet-" + 7 characters: enough to find the row, useless for guessing
const hashSecret = (secret: string, salt: string) => scryptSync(secret, salt, 32).toString('hex');
const toApiKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  role: r.role,
  rate_limit_per_minute: r.rate_limit_per_minute,
  created_at: r.created_at,
  last_used_at: r.last_used_at,
});

/**
 * Migration: keys got roles. Keys made before roles existed become `member` (least privilege
 * that keeps their jobs and apps running); key management then needs an operator key (WHET_API_KEYS)
 * or a new admin key. Checked by column rather than by user_version so it runs once whatever
 * order other stores append their migrations in.
 */
function addRoleColumn(db: Database.Database) {
  const columns = db.prepare('PRAGMA table_info(api_keys)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'role')) {
    db.exec("ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member', 'inference'))");
  }
}

/**
 * API keys, stored as scrypt hashes with a per-key salt: the secret is returned once by
 * `create` and never again. Verification looks the row up by the secret's prefix, so it
 * hashes once per request.
 */
export class ApiKeyStore {
  private cache = new Map<string, { key: ApiKey; at: number }>();

  constructor(private readonly db: Database.Database) {
    addRoleColumn(db);
  }

  create(name: string, rateLimitPerMinute: number | null, role: ApiKeyRole = 'member'): ApiKey & { key: string } {
    const secret = `whet-${randomBytes(24).toString('base64url')}`;
    const salt = randomBytes(16).toString('hex');
    const row: KeyRow = {
      id: newId('key'),
      name,
      prefix: secret.slice(0, PREFIX_LEN),
      role,
      salt,
      hash: hashSecret(secret, salt),
      rate_limit_per_minute: rateLimitPerMinute,
      created_at: nowIso(),
      last_used_at: null,
    };
    this.db
      .prepare('INSERT INTO api_keys (id, name, prefix, role, salt, hash, rate_limit_per_minute, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(row.id, row.name, row.prefix, row.role, row.salt, row.hash, row.rate_limit_per_minute, row.created_at, row.last_used_at);
    return { ...toApiKey(row), key: secret };
  }

  list(): ApiKey[] {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as KeyRow[]).map(toApiKey);
  }

  get(id: string): ApiKey | undefined {
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
    return row ? toApiKey(row) : undefined;
  }

  delete(id: string): boolean {
    this.cache.clear();
    return this.db.prepare('DELETE FROM api_keys WHERE id = ?').run(id).changes > 0;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM api_keys').get() as { n: number }).n;
  }

  /** The key a secret belongs to, or undefined. Verified results are cached for a minute. */
  verify(secret: string): ApiKey | undefined {
    const hit = this.cache.get(secret);
    if (hit && Date.now() - hit.at < 60_000) return hit.key;
    const rows = this.db.prepare('SELECT * FROM api_keys WHERE prefix = ?').all(secret.slice(0, PREFIX_LEN)) as KeyRow[];
    for (const r of rows) {
      const given = Buffer.from(hashSecret(secret, r.salt), 'hex');
      if (timingSafeEqual(given, Buffer.from(r.hash, 'hex'))) {
        const now = nowIso();
        this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, r.id);
        const key = toApiKey({ ...r, last_used_at: now });
        this.cache.set(secret, { key, at: Date.now() });
        return key;
      }
    }
    return undefined;
  }
}
