export * from './errors/index.ts';
export * from './schemas/index.ts';
export * from './protocol/index.ts';
export * from './worker-schemas.ts';
export * from './abort/index.ts';
