import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { METRIC_KEYS, scorePairs } from '@whetstone/eval';
import { generatePairs } from '@whetstone/eval/testing';
import { REPO_ROOT } from '../../../../test-support/paths.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'whet-eval-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The real `whet` binary; `eval score` computes locally, so no server and no WHET_URL.
async function whet(...args: string[]) {
  try {
    const r = await run(process.execPath, [join(REPO_ROOT, 'packages/cli/bin/whet.mjs'), ...args], {
      env: { ...process.env, WHET_URL: 'http://127.0.0.1:9' },
      timeout: 60_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('whet eval score', () => {
  it('prints one JSON object with the seven metrics, equal to scorePairs', async () => {
    const pairs = generatePairs(80, 7);
    const file = join(dir, 'pairs.jsonl');
    writeFileSync(file, pairs.map((p) => JSON.stringify(p)).join('\n') + '\n');
    const r = await whet('eval', 'score', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(out)).toEqual([...METRIC_KEYS]);
    const expected = scorePairs(pairs);
    for (const k of METRIC_KEYS) {
      expect(out[k]).toBe(expected[k]);
      expect(out[k]).toBeGreaterThan(0);
      expect(out[k]).toBeLessThanOrEqual(100);
    }
  });

  it('prints a table without --json', async () => {
    const file = join(dir, 'two.jsonl');
    writeFileSync(file, '{"prediction": "Paris.", "reference": "paris"}\n{"prediction": "负面", "reference": "正面"}\n');
    const r = await whet('eval', 'score', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^2 pairs from /);
    expect(r.stdout).toMatch(/exact_match\s+50\.0000/);
  });

  it('names the bad line and the missing field, and exits 1', async () => {
    const ok = '{"prediction": "a", "reference": "b"}\n';
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, ok + ok + '{"prediction": "a", "reference": \n');
    let r = await whet('eval', 'score', broken, '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error DATASET_INVALID: .*broken\.jsonl line 3 is not valid JSON/);
    expect(r.stderr).toMatch(/hint: Each line must be one JSON object/);

    const missing = join(dir, 'missing.jsonl');
    writeFileSync(missing, ok + '{"prediction": "a"}\n');
    r = await whet('eval', 'score', missing);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2 has no "reference" field/);

    r = await whet('eval', 'score', join(dir, 'absent.jsonl'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error NOT_FOUND: cannot read .*absent\.jsonl/);
  });
});
