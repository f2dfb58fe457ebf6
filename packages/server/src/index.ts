export { createApp, type AppType } from './app.ts';
export { loadConfig, type ServerConfig } from './config.ts';
export { createServerContext } from './server-context.ts';
export { startServer, type RunningServer } from './start-server.ts';
