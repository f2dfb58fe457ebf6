import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { WhetError } from '@whetstone/core';

/** The host name in a Host header, lower-cased, without its port, brackets or a trailing dot. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](:\d*)?$/.exec(h);
  if (bracketed) return bracketed[1]!;
  // One colon is a port; more is a bare IPv6 address.
  const name = h.split(':').length === 2 ? h.slice(0, h.indexOf(':')) : h;
  return name.replace(/\.$/, '');
}

/**
 * Refuse requests whose Host is a name this server was not told about (403 HOST_NOT_ALLOWED).
 * DNS rebinding points an attacker's domain at 127.0.0.1 so that a page on that domain may read
 * the API as "same origin"; the browser still sends the attacker's name as Host. An IP literal
 * cannot be rebound, so IP addresses pass, as do localhost, the listen address (WHET_HOST) and
 * the names in WHET_ALLOWED_HOSTS.
 */
export function hostGuard(opts: { host: string; allowedHosts: string[] }): MiddlewareHandler {
  const names = new Set(['localhost', hostName(opts.host), ...opts.allowedHosts.map(hostName)]);
  return async (c, next) => {
    // app.request() in tests sends no Host header; the URL carries it then.
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    const name = hostName(host);
    if (isIP(name) === 0 && !names.has(name)) {
      throw new WhetError('HOST_NOT_ALLOWED', `this server does not answer to the host name "${name}" (it listens on ${opts.host})`, {
        hint: `Call it by an IP address, localhost or ${opts.host}; if "${name}" is yours (a reverse proxy or DNS name), add it to WHET_ALLOWED_HOSTS on the server.`,
      });
    }
    return next();
  };
}
