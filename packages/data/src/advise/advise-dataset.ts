import type { DatasetStats } from '../stats/dataset-stats.ts';
import { countAbove } from '../stats/length-summary.ts';

export interface Advice {
  level: 'info' | 'warning';
  code: string;
  message: string;
  /** The numbers behind the message, for a UI to show or a script to test. */
  numbers?: Record<string, number>;
  /** Names behind the message (a label), for a UI to show beside the numbers. */
  words?: Record<string, string>;
}

export interface AdviseOptions {
  /** The job's max_seq_len: how many samples it would cut. */
  maxSeqLen?: number;
  /** The model's context length. */
  contextLength?: number;
  /** The model's parameter count, for the data-size rule of thumb (under 20B). */
  modelParams?: number;
}

/** Samples under this are too few to fine-tune on. */
export const TOO_FEW_SAMPLES = 100;
/** The rule of thumb for models under 20B: about this many good samples. */
export const SUGGESTED_SAMPLES = 1000;
/** A labelling set is skewed when its most frequent label has more than this many times the rows of the least... */
export const LABEL_SKEW_RATIO = 3;
/** ...or when a label has under this share of rows. */
export const RARE_LABEL_SHARE = 0.05;
export const LONG_SAMPLE_TOKENS = 4096;
export const LONG_SAMPLE_SHARE = 0.2;

/**
 * Plain-words advice about a dataset, each with the numbers behind it: size against the rule of
 * thumb, duplicates, labels far from balanced, the context length that covers 95% of samples, samples a max_seq_len cuts.
 */
export function adviseDataset(stats: DatasetStats, opts: AdviseOptions = {}): Advice[] {
  const out: Advice[] = [];
  const n = stats.rows;
  const small = opts.modelParams === undefined || opts.modelParams < 20e9;

  if (n < TOO_FEW_SAMPLES) {
    out.push({
      level: 'warning',
      code: 'too_few_samples',
      message: `Only ${fmt(n)} samples: under ${TOO_FEW_SAMPLES} the model mostly memorizes them. Collect more, aiming at about ${fmt(SUGGESTED_SAMPLES)} varied, high-quality samples.`,
      numbers: { samples: n, minimum: TOO_FEW_SAMPLES, suggested: SUGGESTED_SAMPLES },
    });
  } else if (small && n < SUGGESTED_SAMPLES / 2) {
    out.push({
      level: 'info',
      code: 'below_suggested_size',
      message: `${fmt(n)} samples: the usual rule of thumb for models under 20B is about ${fmt(SUGGESTED_SAMPLES)} high-quality samples. Results may improve with more.`,
      numbers: { samples: n, suggested: SUGGESTED_SAMPLES },
    });
  } else if (small && n > SUGGESTED_SAMPLES * 100) {
    out.push({
      level: 'info',
      code: 'large_dataset',
      message: `${fmt(n)} samples, far above the ~${fmt(SUGGESTED_SAMPLES)} that often suffice for models under 20B: quality matters more than quantity, so consider de-duplicating and sampling the best rows to save training time.`,
      numbers: { samples: n, suggested: SUGGESTED_SAMPLES },
    });
  }

  const { exact, normalized } = stats.duplicates;
  if (normalized > 0) {
    out.push({
      level: 'warning',
      code: 'duplicates',
      message: `${fmt(exact)} samples (${pct(exact, n)}) repeat an earlier one exactly, ${fmt(normalized)} (${pct(normalized, n)}) once case, spacing and punctuation are ignored. Repeats weigh some samples more and can leak into the validation split; de-duplicate (dedup: "normalized").`,
      numbers: { samples: n, exact, normalized },
    });
  }

  const skew = labelSkew(stats);
  if (skew) out.push(skew);

  const t = stats.tokens;
  if (!t) {
    out.push({
      level: 'info',
      code: 'no_token_stats',
      message: `Token counts need the model's tokenizer; by characters, 95% of samples are under ${fmt(stats.characters.per_sample.p95)} characters (longest ${fmt(stats.characters.per_sample.max)}).`,
      numbers: { chars_p95: stats.characters.per_sample.p95, chars_max: stats.characters.per_sample.max },
    });
    return out;
  }

  const cover = roundUp(t.per_sample.p95);
  out.push({
    level: 'info',
    code: 'context_p95',
    message: `95% of samples fit in ${fmt(t.per_sample.p95)} tokens (median ${fmt(t.per_sample.p50)}, p99 ${fmt(t.per_sample.p99)}, longest ${fmt(t.per_sample.max)}); a max_seq_len of ${fmt(cover)} covers them.`,
    numbers: { p50: t.per_sample.p50, p95: t.per_sample.p95, p99: t.per_sample.p99, max: t.per_sample.max, max_seq_len_for_95: cover },
  });

  const long = countAbove(t.length_counts, LONG_SAMPLE_TOKENS);
  if (n > 0 && long / n > LONG_SAMPLE_SHARE) {
    out.push({
      level: 'warning',
      code: 'long_samples',
      message: `${fmt(long)} samples (${pct(long, n)}) are longer than ${fmt(LONG_SAMPLE_TOKENS)} tokens: use a model with a context of at least ${fmt(cover)} tokens, or split the long samples.`,
      numbers: { samples: n, longer: long, threshold: LONG_SAMPLE_TOKENS, context_needed: cover },
    });
  }
  if (opts.contextLength !== undefined && t.per_sample.p95 > opts.contextLength) {
    const over = countAbove(t.length_counts, opts.contextLength);
    out.push({
      level: 'warning',
      code: 'context_too_short',
      message: `${fmt(over)} samples (${pct(over, n)}) are longer than the model's ${fmt(opts.contextLength)}-token context: choose a model with a context of at least ${fmt(cover)} tokens, or shorten the samples.`,
      numbers: { samples: n, longer: over, context_length: opts.contextLength, context_needed: cover },
    });
  }
  if (opts.maxSeqLen !== undefined) {
    const cut = countAbove(t.length_counts, opts.maxSeqLen);
    const approx = t.length_bucket > 1 ? 'about ' : '';
    if (cut > 0) {
      out.push({
        level: 'warning',
        code: 'truncation',
        message: `${approx}${fmt(cut)} of ${fmt(n)} samples (${pct(cut, n)}) are longer than max_seq_len ${fmt(opts.maxSeqLen)} and will be cut, losing the end of their answers. A max_seq_len of ${fmt(cover)} keeps 95% whole.`,
        numbers: { samples: n, truncated: cut, max_seq_len: opts.maxSeqLen, max_seq_len_for_95: cover },
      });
    } else {
      out.push({
        level: 'info',
        code: 'no_truncation',
        message: `Every sample fits in max_seq_len ${fmt(opts.maxSeqLen)} (longest ${fmt(t.per_sample.max)} tokens).`,
        numbers: { samples: n, truncated: 0, max_seq_len: opts.maxSeqLen },
      });
    }
  }
  return out;
}

/** Advice when a labelling set's labels are far from balanced: the model may never predict the rare ones. */
function labelSkew(stats: DatasetStats): Advice | null {
  const labels = stats.label_set?.labels;
  if (!labels || labels.length < 2) return null;
  const most = labels[0]!;
  const rarest = labels.at(-1)!;
  const ratio = most.count / rarest.count;
  if (ratio <= LABEL_SKEW_RATIO && rarest.share >= RARE_LABEL_SHARE) return null;
  const rare = labels.filter((l) => l.share < RARE_LABEL_SHARE).length;
  const rarestPct = round1(100 * rarest.share);
  return {
    level: 'warning',
    code: 'label_skew',
    message: `Label '${rarest.label}' has ${rarestPct}% of rows (${fmt(rarest.count)}) against ${fmt(most.count)} for '${most.label}' (${round1(ratio)}x): the model may never predict it; add examples or weight the mix.`,
    numbers: { labels: labels.length, rarest_count: rarest.count, rarest_pct: rarestPct, most_count: most.count, ratio: round1(ratio), rare_labels: rare, rare_share_pct: 100 * RARE_LABEL_SHARE },
    words: { rarest: rarest.label, most: most.label },
  };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** The next multiple of 256 (at least 256): the values max_seq_len usually takes. */
export function roundUp(tokens: number): number {
  return Math.max(256, Math.ceil(tokens / 256) * 256);
}

function fmt(v: number): string {
  return v.toLocaleString('en-US');
}

function pct(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (100 * part) / whole;
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}
