import { logger } from './logger.ts';

/**
 * Keep one bad request from taking the platform down: a promise rejected with no handler or an
 * exception thrown outside any request (an 'error' event nobody listens to) is logged with its
 * stack and the server keeps serving. Node's default would exit, silently for the client: the
 * connection resets, then nothing answers, and running jobs lose their supervisor.
 */
export function guardProcess(): void {
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled promise rejection (the server keeps running; please report it)', { error: String((reason as Error)?.stack ?? reason) });
  });
  process.on('uncaughtException', (err, origin) => {
    logger.error('uncaught exception (the server keeps running; please report it)', { origin, error: String(err?.stack ?? err) });
  });
}
