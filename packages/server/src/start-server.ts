import type { Server as HttpServer } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { WhetError } from '@whetstone/core';
import { createApp } from './app.ts';
import { isLoopback, type ServerConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { logger } from './logger.ts';
import { createServerContext } from './server-context.ts';

/** How long an idle keep-alive connection stays open: longer than clients' (and load balancers') 60 s. */
export const KEEP_ALIVE_MS = 65_000;

export interface RunningServer {
  ctx: AppContext;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Start the platform: store, scheduler (reconciling jobs of a previous run) and HTTP. */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const ctx = createServerContext(config);
  if (!isLoopback(config.host) && config.apiKeys.length === 0 && ctx.apiKeys.count() === 0) {
    ctx.store.close();
    throw new WhetError('UNAUTHORIZED', `refusing to listen on ${config.host} without API keys`, {
      hint: 'Set WHET_API_KEYS=key1,key2 (or create a key with `POST /api/v1/keys` while on loopback) to listen beyond loopback, or keep WHET_HOST=127.0.0.1.',
    });
  }
  ctx.scheduler.start();
  ctx.gateway.deployments.restore();
  const app = createApp(ctx);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once('error', reject);
  });
  // Node closes an idle keep-alive connection after 5 s, while clients (undici's fetch, browsers,
  // proxies) may reuse it up to that moment: a request written as the server closes is lost as
  // "other side closed" (seen in CI on a loaded box). Outlive every client's idle window instead.
  const http1 = server as HttpServer; // serve() makes a plain HTTP/1.1 server unless told otherwise
  http1.keepAliveTimeout = KEEP_ALIVE_MS;
  http1.headersTimeout = KEEP_ALIVE_MS + 1000; // must exceed keepAliveTimeout (Node's rule)
  // Once listening, a server error (EMFILE on accept...) is logged; without a listener it would throw.
  server.on('error', (e) => logger.error('HTTP server error', { error: String((e as Error)?.stack ?? e) }));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  ctx.jobWebhook.consoleBase = config.publicUrl ?? url; // the port chosen when WHET_PORT=0
  logger.info('whetstone listening', { url, home: config.home });
  return {
    ctx,
    url,
    port,
    async close() {
      await ctx.scheduler.shutdown();
      await ctx.gateway.close();
      await new Promise<void>((res) => server.close(() => res()));
      ctx.store.close();
    },
  };
}
