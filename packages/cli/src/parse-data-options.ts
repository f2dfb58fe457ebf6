import { type JobCreate, WhetError } from '@whetstone/core';

/** One `--data` value: a dataset id or name, with the weight or sample count asked for it. */
export interface DataSource {
  ref: string;
  weight?: number;
  samples?: number;
}

/** The fields of a job body that say what it trains on; dataset refs may still be names. */
export type DataRequest = Pick<JobCreate, 'dataset' | 'datasets' | 'validation_dataset' | 'validation_split' | 'test_split' | 'dedup'>;

export interface DataOptions {
  data: string[];
  validationData?: string;
  validationSplit?: string;
  testSplit?: string;
  dedup?: string;
}

export const DATA_FORMS = 'ID_OR_NAME, ID_OR_NAME:w=WEIGHT (a share relative to the others, > 0) or ID_OR_NAME:n=SAMPLES (an exact number of samples)';
const DATA_HINT = `Give --data as ${DATA_FORMS}, once per dataset, e.g. --data support-tickets --data general:w=0.2 or --data general:n=500.`;
/** The same bounds as JobCreateSchema's validation_split and test_split. */
const MAX_SPLIT = 0.5;

const OPTION = /^([A-Za-z_]+)=(.*)$/s;

/**
 * Parse one `--data` value: `REF`, `REF:w=WEIGHT` or `REF:n=SAMPLES`. Options are the trailing
 * `:key=value` parts, so a name holding a colon still works; a problem comes back as a sentence.
 */
export function parseDataValue(value: string): DataSource | { problem: string } {
  const bad = (why: string) => ({ problem: `--data "${value}": ${why}` });
  const parts = value.split(':');
  const options: [string, string][] = [];
  while (parts.length > 1) {
    const last = parts.at(-1)!;
    const m = OPTION.exec(last);
    if (m) {
      options.unshift([m[1]!, m[2]!]);
      parts.pop();
    } else if (last.trim() === '') {
      return bad('nothing after ":"');
    } else if (Number.isFinite(Number(last))) {
      return bad(`"${last}" after ":" needs a name: w=${last} for a weight or n=${last} for a number of samples`);
    } else break;
  }
  const ref = parts.join(':').trim();
  if (!ref) return bad(`no dataset id or name${value.includes(':') ? ' before ":"' : ''}`);
  const source: DataSource = { ref };
  for (const [key, raw] of options) {
    if (key === 'w' || key === 'weight') {
      if (source.weight !== undefined) return bad('the weight is given twice');
      const w = raw.trim() === '' ? NaN : Number(raw);
      if (!(Number.isFinite(w) && w > 0)) return bad(`the weight w must be a number > 0, got "${raw}"`);
      source.weight = w;
    } else if (key === 'n' || key === 'samples') {
      if (source.samples !== undefined) return bad('the number of samples is given twice');
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!(Number.isInteger(n) && n > 0)) return bad(`the number of samples n must be a positive integer, got "${raw}"`);
      source.samples = n;
    } else {
      return bad(`unknown option "${key}" (use w= or n=)`);
    }
  }
  if (source.weight !== undefined && source.samples !== undefined) return bad('give a weight (w=) or a number of samples (n=), not both');
  return source;
}

function parseSplit(flag: string, raw: string, auto: boolean): number | 'auto' | { problem: string } {
  if (auto && raw === 'auto') return 'auto';
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (Number.isFinite(v) && v >= 0 && v <= MAX_SPLIT) return v;
  return { problem: `${flag} must be ${auto ? '"auto" or ' : ''}a fraction from 0 to ${MAX_SPLIT} (0.05 = 5%), got "${raw}"` };
}

/**
 * The data part of a job body from `whet train` options. One plain `--data` sends `dataset`;
 * several, or any with w= or n=, send `datasets`. Every bad value is reported in one error.
 */
export function parseDataOptions(o: DataOptions): DataRequest {
  const problems: string[] = [];
  const sources: DataSource[] = [];
  for (const value of o.data) {
    const s = parseDataValue(value);
    if ('problem' in s) problems.push(s.problem);
    else if (sources.some((x) => x.ref === s.ref)) problems.push(`--data "${s.ref}" is given twice; put each dataset in the mix once, with the weight or number of samples it should have`);
    else sources.push(s);
  }
  const out: DataRequest = {};
  if (o.validationData !== undefined) {
    if (o.validationData.trim() === '') problems.push('--validation-data needs a dataset id or name');
    else out.validation_dataset = o.validationData.trim();
  }
  for (const [flag, raw, key, auto] of [
    ['--validation-split', o.validationSplit, 'validation_split', true],
    ['--test-split', o.testSplit, 'test_split', false],
  ] as const) {
    if (raw === undefined) continue;
    const v = parseSplit(flag, raw, auto);
    if (typeof v === 'object') problems.push(v.problem);
    else (out as Record<string, unknown>)[key] = v;
  }
  if (typeof out.validation_split === 'number' && out.validation_dataset) {
    problems.push('--validation-split and --validation-data both say where validation comes from; give one');
  }
  if (o.dedup !== undefined) {
    if (o.dedup === 'exact' || o.dedup === 'normalized') out.dedup = o.dedup;
    else problems.push(`--dedup must be "exact" or "normalized", got "${o.dedup}"`);
  }
  if (o.data.length === 0) problems.push('no --data: name the dataset to train on');
  if (problems.length) {
    const dataProblem = problems.some((p) => p.startsWith('--data') || p.startsWith('no --data'));
    throw new WhetError('INVALID_REQUEST', problems.join('; '), {
      field: dataProblem ? 'datasets' : undefined,
      hint: dataProblem ? DATA_HINT : 'Fix the options named in the message and run the command again.',
    });
  }
  const plain = sources.length === 1 && sources[0]!.weight === undefined && sources[0]!.samples === undefined;
  if (plain) out.dataset = sources[0]!.ref;
  else out.datasets = sources.map((s) => ({ id: s.ref, ...(s.weight !== undefined ? { weight: s.weight } : {}), ...(s.samples !== undefined ? { samples: s.samples } : {}) }));
  return out;
}
