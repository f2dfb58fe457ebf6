import type { JudgeResult, SampleJudge } from '@whetstone/core';
import { table } from './format.ts';

const fmt = (x: number | null, digits = 2) => (x === null ? '-' : x.toFixed(digits));
const interval = (ci: number[] | null, digits = 2) => (ci ? `[${fmt(ci[0], digits)}, ${fmt(ci[1], digits)}]` : '-');

/** `whet eval show`: the judge's scores (single) or win rates (pairwise) with answer lengths beside them. */
export function describeJudge(j: JudgeResult): string {
  const head = `judge    ${j.judge}  ${j.mode}  rubric ${j.rubric} (${j.language})  ${j.status}${j.status === 'running' ? ` ${j.progress.done}/${j.progress.total}` : ''}`;
  const lines = [head];
  if (j.error) lines.push(`judge error ${j.error.code}: ${j.error.message}\n  hint: ${j.error.hint}`);
  if (j.scores) {
    const rows = j.scores.map((s) => ({
      model: s.label,
      score: fmt(s.mean_score),
      '95% ci': interval(s.ci95),
      scored: String(s.scored),
      unparseable: String(s.unparseable),
      failed: String(s.failed),
      'length (chars)': fmt(s.mean_length_chars, 1),
    }));
    lines.push(table(rows, ['model', 'score', '95% ci', 'scored', 'unparseable', 'failed', 'length (chars)']));
  }
  if (j.pairs) {
    const rows = j.pairs.map((p) => ({
      pair: `${p.a} vs ${p.b}`,
      'win rate': fmt(p.win_rate, 3),
      '95% ci': interval(p.ci95, 3),
      'w/t/l': `${p.wins}/${p.ties}/${p.losses}`,
      inconsistent: String(p.inconsistent),
      invalid: String(p.invalid),
      'length a/b (chars)': `${fmt(p.mean_length_chars.a, 1)}/${fmt(p.mean_length_chars.b, 1)}`,
    }));
    lines.push(table(rows, ['pair', 'win rate', '95% ci', 'w/t/l', 'inconsistent', 'invalid', 'length a/b (chars)']));
    lines.push('win rate = (wins + ties/2) / judged; each sample judged in both orders, disagreeing orders count as a tie');
  }
  return lines.join('\n');
}

const quote = (s: string | null, max = 160) => (s === null ? '' : JSON.stringify(s.length > max ? `${s.slice(0, max)}...` : s));

/** The per-sample lines of `whet eval show --samples`: each verdict with the judge's reason. */
export function describeSampleJudge(j: SampleJudge): string[] {
  const out: string[] = [];
  for (const s of j.scores ?? []) out.push(`  judge ${s.label}: ${s.error ? `[${s.error.code}]` : s.score === null ? 'unparseable' : s.score} ${quote(s.judgment)}`);
  for (const p of j.pairs ?? []) {
    out.push(`  judge ${p.a} vs ${p.b}: ${p.outcome === 'a' ? p.a : p.outcome === 'b' ? p.b : p.outcome}${p.inconsistent ? ' (inconsistent)' : ''}`);
    for (const o of p.orders) out.push(`    ${o.first} first: ${o.error ? `[${o.error.code}]` : (o.verdict ?? 'unreadable')} ${quote(o.judgment)}`);
  }
  return out;
}
