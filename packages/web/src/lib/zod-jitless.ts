import { config } from 'zod/v4/core';

// The console's Content-Security-Policy forbids eval. Zod 4 probes `new Function` when its first
// object schema is built (a CSP violation report in the console) unless its compiled fast path
// is off, so this runs first, from main.tsx, before any schema module is evaluated.
config({ jitless: true });
