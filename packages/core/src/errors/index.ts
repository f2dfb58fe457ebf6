export * from './error-codes.ts';
export * from './whet-error.ts';
