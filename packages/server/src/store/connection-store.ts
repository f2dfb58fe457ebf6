import type Database from 'better-sqlite3';
import { type Connection, type ConnectionCreate, WhetError } from '@whetstone/core';
import { newId, nowIso } from '../ids.ts';

interface ConnectionRow {
  id: string;
  name: string;
  base_url: string;
  model: string | null;
  api_key: string | null;
  api_key_env: string | null;
  created_at: string;
}

/** What a caller of an outside endpoint needs: where, which model, and the key (never shown). */
export interface ConnectionTarget {
  name: string;
  baseUrl: string;
  model: string;
  apiKey?: string;
}

const toConnection = (r: ConnectionRow): Connection => ({
  id: r.id,
  name: r.name,
  base_url: r.base_url,
  model: r.model,
  key: r.api_key !== null ? 'stored' : r.api_key_env !== null ? 'env' : 'none',
  api_key_env: r.api_key_env,
  created_at: r.created_at,
});

/**
 * Connections to outside OpenAI-compatible endpoints (table created by MIGRATIONS in
 * sqlite-store.ts). The key is stored as given, since the server must send it; no read returns
 * it except `target`, which only the code that calls the endpoint uses. A key taken from the
 * environment must be named in WHET_ENDPOINT_KEYS, checked when the connection is created and
 * again when it is used.
 */
export class ConnectionStore {
  /** `allowedEnv`: the variables a connection may take its key from (config.endpointKeyEnvs, WHET_ENDPOINT_KEYS). */
  constructor(
    private readonly db: Database.Database,
    private readonly allowedEnv: string[],
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private checkEnvName(name: string) {
    if (!this.allowedEnv.includes(name)) {
      // Says nothing about whether the variable exists: only the allow-list decides.
      throw new WhetError('INVALID_REQUEST', `api_key_env "${name}" is not one of the variables listed in WHET_ENDPOINT_KEYS`, {
        field: 'api_key_env',
        hint: "Give the key itself in api_key (it is stored on the server and never shown), or have the operator add the variable's name to WHET_ENDPOINT_KEYS.",
      });
    }
  }

  create(body: ConnectionCreate): Connection {
    if (body.api_key_env !== undefined) this.checkEnvName(body.api_key_env);
    if (this.get(body.name)) {
      throw new WhetError('CONFLICT', `a connection named "${body.name}" exists`, { field: 'name', hint: 'Pick another name, or delete the old connection first.' });
    }
    const row: ConnectionRow = {
      id: newId('conn'),
      name: body.name,
      base_url: body.base_url.replace(/\/+$/, ''),
      model: body.model ?? null,
      api_key: body.api_key ?? null,
      api_key_env: body.api_key_env ?? null,
      created_at: nowIso(),
    };
    this.db
      .prepare('INSERT INTO connections (id, name, base_url, model, api_key, api_key_env, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.id, row.name, row.base_url, row.model, row.api_key, row.api_key_env, row.created_at);
    return toConnection(row);
  }

  list(): Connection[] {
    return (this.db.prepare('SELECT * FROM connections ORDER BY name').all() as ConnectionRow[]).map(toConnection);
  }

  /** By id or name. */
  get(idOrName: string): Connection | undefined {
    const row = this.row(idOrName);
    return row ? toConnection(row) : undefined;
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM connections WHERE id = ?').run(id).changes > 0;
  }

  /** The endpoint, model and key to call: CONNECTION_NOT_FOUND, or a 400 when no model is named anywhere. */
  target(idOrName: string, model?: string): ConnectionTarget {
    const row = this.row(idOrName);
    if (!row) throw new WhetError('CONNECTION_NOT_FOUND', `no connection named "${idOrName}"`, { field: 'connection' });
    const chosen = model ?? row.model;
    if (!chosen) {
      throw new WhetError('INVALID_REQUEST', `connection "${row.name}" has no default model and none was named`, {
        field: 'model',
        hint: 'Name the model the endpoint should use ("model"), or have an admin set one on the connection.',
      });
    }
    let apiKey = row.api_key ?? undefined;
    if (row.api_key_env !== null) {
      this.checkEnvName(row.api_key_env);
      apiKey = this.env[row.api_key_env] || undefined;
    }
    return { name: row.name, baseUrl: row.base_url, model: chosen, apiKey };
  }

  private row(idOrName: string): ConnectionRow | undefined {
    return this.db.prepare('SELECT * FROM connections WHERE id = ? OR name = ? LIMIT 1').get(idOrName, idOrName) as ConnectionRow | undefined;
  }
}
