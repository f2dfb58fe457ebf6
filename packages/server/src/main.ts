// `npm start`: serve the platform on WHET_HOST:WHET_PORT (127.0.0.1:7860), with the demo model
// and dataset registered when --demo is given and they were prepared by scripts/setup.mjs.
import { isWhetError } from '@whetstone/core';
import { loadConfig } from './config.ts';
import { registerDemo } from './demo.ts';
import { guardProcess } from './guard-process.ts';
import { logger } from './logger.ts';
import { startServer } from './start-server.ts';

async function main() {
  guardProcess();
  const config = loadConfig();
  const server = await startServer(config);
  if (process.argv.includes('--demo')) await registerDemo(server.ctx);
  console.log(`Whetstone is running on ${server.url} (API: ${server.url}/api/v1, state: ${config.home})`);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info('shutting down: running jobs checkpoint and become resumable', { signal });
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  if (isWhetError(e)) console.error(`error ${e.code}: ${e.message}\nhint: ${e.hint}`);
  else console.error(e);
  process.exit(1);
});
