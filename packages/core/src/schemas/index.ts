export * from './hyperparameters.ts';
export * from './conversation.ts';
export * from './entities.ts';
export * from './worker-spec.ts';
