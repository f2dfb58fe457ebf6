export * from './worker-events.ts';
export * from './generation.ts';
