export * from './worker-events.ts';
