/** Print JSON with --json, else the human rendering. */
export function print<T>(value: T, opts: { json?: boolean }, human?: (v: T) => string) {
  if (opts.json || !human) console.log(JSON.stringify(value, null, 2));
  else console.log(human(value));
}
