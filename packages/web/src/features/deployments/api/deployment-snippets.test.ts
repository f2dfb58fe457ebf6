import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSnippets } from './deployment-snippets.ts';

describe('buildSnippets', () => {
  it('points every snippet at origin + /v1 with the deployment name as the model', () => {
    const s = buildSnippets({ origin: 'http://127.0.0.1:8420/', model: 'tiny-chat', keyRequired: false });
    expect(s.curl).toContain("'http://127.0.0.1:8420/v1/chat/completions'");
    expect(s.curl).not.toContain('Authorization');
    expect(s.python).toContain('base_url="http://127.0.0.1:8420/v1", api_key="not-needed"');
    expect(s.python).toContain('model="tiny-chat"');
    expect(s.javascript).toContain('baseURL: "http://127.0.0.1:8420/v1"');
    expect(s.javascript).toContain("apiKey: 'not-needed'");
  });

  it('reads the key from $WHET_API_KEY when keys are on', () => {
    const s = buildSnippets({ origin: 'http://h:1', model: 'm', keyRequired: true });
    expect(s.curl).toContain('-H "Authorization: Bearer $WHET_API_KEY"');
    expect(s.python).toContain('api_key=os.environ["WHET_API_KEY"]');
    expect(s.python.startsWith('import os')).toBe(true);
    expect(s.javascript).toContain('apiKey: process.env.WHET_API_KEY');
  });

  it('quotes the curl body for the shell, whatever the model name holds', () => {
    const s = buildSnippets({ origin: 'http://h:1', model: "it's:v1", keyRequired: false });
    // The shell hands curl exactly the JSON body: parse the argument after -d with a real sh.
    const script = s.curl.replace(/^curl /, 'printf "%s\\n" ');
    const args = execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
    const body = JSON.parse(args[args.indexOf('-d') + 1]!);
    expect(body).toMatchObject({ model: "it's:v1", messages: [{ role: 'user' }] });
  });

  it('gives Python and JavaScript that parse (the SDKs themselves are not installed here)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whet-snippets-'));
    try {
      for (const keyRequired of [false, true]) {
        const s = buildSnippets({ origin: 'http://127.0.0.1:8420', model: 'tiny-chat', keyRequired });
        execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: s.python });
        writeFileSync(join(dir, 'call.mjs'), s.javascript);
        execFileSync(process.execPath, ['--check', join(dir, 'call.mjs')]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
