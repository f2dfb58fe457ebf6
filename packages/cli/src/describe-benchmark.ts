import type { Benchmark } from '@whetstone/core';
import { table } from './format.ts';

const pct = (x: number | null) => (x === null ? '' : `${(x * 100).toFixed(1)}%`);

/** The ranking, each model's state, and accuracy per subject (models as columns). */
export function describeBenchmark(b: Benchmark): string {
  const out = [
    `${b.id}  ${b.name}`,
    `status   ${b.status}${b.error ? `  ${b.error.code}: ${b.error.message}` : ''}`,
    `dataset  ${b.dataset.id} (${b.dataset.format}, ${b.dataset.questions} questions, ${b.dataset.subjects} subjects), ${b.num_fewshot}-shot, ${b.method}, ${b.template} prompt`,
    '',
    table(
      b.models.map((m) => {
        const r = b.ranking.find((x) => x.model_id === m.model_id);
        return {
          rank: r?.rank ?? '',
          model: m.label,
          status: m.status === 'running' ? `running ${m.progress.done}/${m.progress.total}` : m.status,
          acc: pct(m.acc),
          acc_norm: pct(m.acc_norm),
          'questions/s': m.questions_per_sec ?? '',
        };
      }).sort((a, c) => Number(a.rank || 99) - Number(c.rank || 99)),
      ['rank', 'model', 'status', 'acc', 'acc_norm', 'questions/s'],
    ),
  ];
  for (const m of b.models) if (m.error) out.push(`${m.label}: ${m.error.code}: ${m.error.message}${m.error.hint ? ` (${m.error.hint})` : ''}`);
  const subjects = [...new Set(b.models.flatMap((m) => m.subjects.map((s) => s.subject)))];
  if (subjects.length > 1) {
    out.push('', 'accuracy per subject:');
    out.push(table(subjects.map((s) => ({ subject: s || '(none)', ...Object.fromEntries(b.models.map((m) => [m.label, pct(m.subjects.find((x) => x.subject === s)?.acc ?? null)])) })), ['subject', ...b.models.map((m) => m.label)]));
  }
  return out.join('\n');
}
