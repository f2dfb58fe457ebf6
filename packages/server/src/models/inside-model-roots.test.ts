import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isWhetError } from '@whetstone/core';
import { tempHome } from '../../../../test-support/server.ts';
import { insideModelRoots } from './inside-model-roots.ts';

describe('insideModelRoots', () => {
  const { home, cleanup } = tempHome('whet-roots-');
  const root = join(home, 'models');
  const evil = join(home, 'models-evil'); // shares the root's name as a prefix
  const secret = join(home, 'secret');
  for (const d of [join(root, 'llama'), evil, secret]) mkdirSync(d, { recursive: true });
  writeFileSync(join(root, 'llama', 'model.gguf'), 'GGUF');
  writeFileSync(join(secret, 'model.gguf'), 'GGUF');
  symlinkSync(secret, join(root, 'link-out'));
  symlinkSync(join(root, 'llama'), join(home, 'link-in'));
  afterAll(cleanup);

  const refusal = (path: string, roots = [root]) => {
    try {
      insideModelRoots(path, roots, 'model');
    } catch (e) {
      if (!isWhetError(e)) throw e;
      return e;
    }
    throw new Error(`${path} was allowed`);
  };

  it('returns the real path of a folder or file inside a root, the root itself, and a missing file inside one', () => {
    expect(insideModelRoots(join(root, 'llama'), [root])).toBe(realpathSync(join(root, 'llama')));
    expect(insideModelRoots(join(root, 'llama', 'model.gguf'), [root])).toBe(realpathSync(join(root, 'llama', 'model.gguf')));
    expect(insideModelRoots(root, [root])).toBe(realpathSync(root));
    expect(insideModelRoots(join(root, 'not-yet', 'model.gguf'), [root])).toBe(join(realpathSync(root), 'not-yet', 'model.gguf'));
    // A link from outside into a root reads files of the root: allowed, as its target.
    expect(insideModelRoots(join(home, 'link-in'), [root])).toBe(realpathSync(join(root, 'llama')));
  });

  it.each([
    ['a ".." segment', () => `${root}/../secret`, /holds a "\.\." segment/],
    ['a ".." segment that stays inside', () => `${root}/llama/../llama`, /holds a "\.\." segment/],
    ['a relative path', () => 'models/llama', /not an absolute path/],
    ['a folder outside', () => secret, /is outside the model roots/],
    ['a sibling whose name starts with the root\'s', () => evil, /is outside the model roots/],
    ['a missing file outside', () => '/nowhere/model.gguf', /is outside the model roots/],
    ['a symlink inside a root pointing outside', () => join(root, 'link-out', 'model.gguf'), /resolves to ".*secret\/model\.gguf", outside/],
  ])('refuses %s with 403 PATH_NOT_ALLOWED naming the path and the roots', (_what, path, message) => {
    const e = refusal(path());
    expect(e).toMatchObject({ code: 'PATH_NOT_ALLOWED', status: 403, field: 'model' });
    expect(e.message).toMatch(message);
    expect(e.message).toContain(root);
    expect(e.hint).toMatch(/WHET_MODEL_ROOTS/);
  });

  it('compares against the roots\' real paths, so a root reached through a symlink still holds its files', () => {
    const linkedRoot = join(home, 'root-link');
    symlinkSync(root, linkedRoot);
    try {
      expect(insideModelRoots(join(root, 'llama'), [linkedRoot])).toBe(realpathSync(join(root, 'llama')));
      expect(refusal(join(linkedRoot, 'link-out'), [linkedRoot]).code).toBe('PATH_NOT_ALLOWED');
    } finally {
      rmSync(linkedRoot);
    }
  });
});
