import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createServerContext, loadConfig, startServer, type RunningServer, type ServerConfig } from '@whetstone/server';
import { REPO_ROOT } from './paths.ts';

/** A fresh state folder in /tmp, removed by the returned cleanup. */
export function tempHome(prefix = 'whet-test-'): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** Test servers may register the fixture models under the repo's git-ignored .cache/ as well. */
export function testConfig(home: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const base = loadConfig({ WHET_HOME: home, WHET_PORT: '0' }, REPO_ROOT);
  return { ...base, stopGraceSeconds: 60, modelRoots: [...base.modelRoots, join(REPO_ROOT, '.cache')], ...overrides };
}

/** The real app over a real SQLite store, driven with app.request() (no socket). */
export function testApp(home: string, overrides: Partial<ServerConfig> = {}) {
  const ctx = createServerContext(testConfig(home, overrides));
  return { ctx, app: createApp(ctx) };
}

/** The real server on 127.0.0.1 with an OS-chosen port. */
export function testServer(home: string, overrides: Partial<ServerConfig> = {}): Promise<RunningServer> {
  return startServer(testConfig(home, overrides));
}

export async function json<T = any>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON (HTTP ${res.status}): ${text.slice(0, 300)}`);
  }
}
