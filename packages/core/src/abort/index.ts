export * from './deadline-signal.ts';
