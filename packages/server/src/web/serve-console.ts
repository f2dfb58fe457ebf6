import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';

/** Where `npm run setup` builds the console (packages/web/dist). */
export const CONSOLE_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.map']);
/** Vite names built files `name-<hash>.ext` under assets/: they never change, so browsers keep them. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself is checked on every load, so a rebuilt console is picked up at once. */
const REVALIDATE = 'no-cache';
/** The console talks only to its own origin; nothing may frame it. */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Whetstone</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The web console is not built yet</h1>
<p>Run <code>npm run setup</code> (or <code>npm start</code>, which runs it) in the Whetstone folder, then reload this page.
The API works meanwhile: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<p lang="zh-CN">控制台尚未构建：请在 Whetstone 目录中运行 <code>npm run setup</code>（或 <code>npm start</code>），然后刷新本页。</p>
</body></html>`;

interface CachedFile {
  mtimeMs: number;
  size: number;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
}

/** Paths that belong to the APIs, never to the console (they keep their own 404s and errors). */
const isApiPath = (path: string) => /^\/(api|v1)(\/|$)/.test(path);

/**
 * Serve the built web console (packages/web/dist) at `/`: files as they are, hashed `/assets/*`
 * cached for a year, `index.html` revalidated (ETag) and returned for every other GET that is
 * not an API path (the console's own routes, e.g. /jobs/ID). `/api/*` and `/v1/*` pass through
 * untouched. Mounted before the API-key check: the page and its scripts are public, the
 * console then calls the API with the key. When the console is not built, `/` explains how
 * to build it.
 */
export function serveConsole(opts: { dir?: string } = {}): MiddlewareHandler {
  const root = resolve(opts.dir ?? CONSOLE_DIST);
  const cache = new Map<string, CachedFile>();

  const load = async (file: string): Promise<CachedFile | null> => {
    let info;
    try {
      info = await stat(file);
    } catch {
      return null;
    }
    if (!info.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit;
    const body = await readFile(file);
    const entry: CachedFile = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      body,
      gzip: COMPRESSIBLE.has(extname(file)) && body.length > 1024 ? gzipSync(body) : null,
      etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
    };
    cache.set(file, entry);
    return entry;
  };

  const send = (c: Context, file: string, f: CachedFile, cacheControl: string, extra: Record<string, string> = {}) => {
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': cacheControl,
      etag: f.etag,
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
      ...extra,
    };
    if (c.req.header('if-none-match') === f.etag) return c.body(null, 304, headers);
    const gzip = f.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    if (gzip) headers['content-encoding'] = 'gzip';
    const body = gzip ? f.gzip! : f.body;
    headers['content-length'] = String(body.length);
    if (c.req.method === 'HEAD') return c.body(null, 200, headers);
    return c.body(new Uint8Array(body), 200, headers);
  };

  return async (c, next) => {
    const path = c.req.path;
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || isApiPath(path)) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(path);
    } catch {
      return c.text('Bad path', 400);
    }
    const file = resolve(root, `.${rel}`);
    if (file !== root && !file.startsWith(root + sep)) return c.text('Not found', 404);

    const index = join(root, 'index.html');
    if (!rel.endsWith('/')) {
      const f = await load(file);
      if (f) {
        const hashed = rel.startsWith('/assets/');
        return send(c, file, f, hashed ? IMMUTABLE : REVALIDATE, file === index ? PAGE_HEADERS : {});
      }
      // A missing script or stylesheet is a 404, not the page: browsers would choke on HTML.
      if (rel.startsWith('/assets/') || extname(rel) !== '') return c.text('Not found', 404, { 'cache-control': 'no-store' });
    }
    const page = await load(index);
    if (!page) return c.html(NOT_BUILT, 503, { 'cache-control': 'no-store' });
    return send(c, index, page, REVALIDATE, PAGE_HEADERS);
  };
}
