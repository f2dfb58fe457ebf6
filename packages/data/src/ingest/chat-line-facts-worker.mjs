// Starts the TypeScript worker of ChatLineFactsPool: a worker thread does not inherit the
// parent's TypeScript loader (tsx), so it registers it before importing the worker.
import { register } from 'tsx/esm/api';

register();
await import('./chat-line-facts-worker.ts');
