import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { WhetError } from '@whetstone/core';

/** The real path of `path`, or for a path that does not exist (yet), its nearest existing folder's real path plus the rest. */
function realPathOrNearest(path: string): string {
  const rest: string[] = [];
  let head = path;
  while (!existsSync(head)) {
    const up = dirname(head);
    if (up === head) break;
    rest.unshift(basename(head));
    head = up;
  }
  return join(realpathSync(head), ...rest);
}

const isWithin = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * A caller's server path (a model folder, a .gguf file) checked against WHET_MODEL_ROOTS: any
 * key holder could otherwise have the server read, serve and export any file it can reach.
 * The path must be absolute with no `..` segment and, once symlinks are resolved (the path's
 * and the roots'), lie in a root: `/srv/models-evil` is not inside `/srv/models`, and a link
 * inside a root pointing outside is refused like the outside path. Returns the real path, so
 * the caller stores and reads what was checked. 403 PATH_NOT_ALLOWED otherwise.
 */
export function insideModelRoots(path: string, roots: readonly string[], field = 'path'): string {
  const refuse = (why: string) =>
    new WhetError('PATH_NOT_ALLOWED', `${why}; models may be read only from ${roots.join(', ')}`, {
      field,
      hint: 'Put the files under one of those folders, or have the operator add their folder to WHET_MODEL_ROOTS (comma-separated absolute paths) and restart the server.',
    });
  if (!isAbsolute(path) || path.includes('\0')) throw refuse(`"${path}" is not an absolute path`);
  if (path.split(/[\\/]/).includes('..')) throw refuse(`"${path}" holds a ".." segment`);
  const real = realPathOrNearest(resolve(path));
  const realRoots = roots.map((r) => (existsSync(r) ? realpathSync(r) : resolve(r)));
  if (!realRoots.some((root) => isWithin(real, root))) {
    throw refuse(real === resolve(path) ? `"${path}" is outside the model roots` : `"${path}" resolves to "${real}", outside the model roots`);
  }
  return real;
}
