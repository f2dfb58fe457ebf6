#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx whet` works from the repo root with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
