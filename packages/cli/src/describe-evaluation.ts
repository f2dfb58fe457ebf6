import { METRIC_NAMES, type Evaluation, type EvaluationColumn } from '@whetstone/core';
import { describeJudge } from './describe-judge.ts';
import { table } from './format.ts';

const fmt = (x: number) => x.toFixed(2);

/** `whet eval show`: the comparison table, then per-label figures, confusion matrices, overlap warnings and errors. */
export function describeEvaluation(e: Evaluation): string {
  const lines = [`${e.id}  ${e.name}`, `status   ${e.status}   test set ${e.dataset.source} ${e.dataset.id} (${e.dataset.rows} rows)   baseline ${e.models[e.baseline]!.label}`];
  if (e.error) lines.push(`error    ${e.error.code}: ${e.error.message}`);
  if (e.cancelled) lines.push(`${e.cancelled.what === 'judge' ? 'judge cancelled' : 'cancelled'} by ${e.cancelled.by} at ${e.cancelled.at}`);
  const rows = e.models.map((m, i) => {
    const row: Record<string, string> = { model: m.label, status: m.status === 'running' ? `running ${m.progress.done}/${m.progress.total}` : m.status };
    for (const k of METRIC_NAMES) {
      const v = m.metrics?.[k];
      const d = m.deltas?.[k];
      row[k] = v === undefined ? '' : i === e.baseline || d === undefined ? fmt(v) : `${fmt(v)} (${d >= 0 ? '+' : ''}${fmt(d)})`;
    }
    row.accuracy = m.label_accuracy ? `${fmt(m.label_accuracy.accuracy)} (${m.label_accuracy.invalid} invalid)` : '';
    row['macro-f1'] = m.label_metrics ? fmt(m.label_metrics.macro_f1) : '';
    return row;
  });
  const labelled = e.models.some((m) => m.label_accuracy);
  lines.push(table(rows, ['model', 'status', ...METRIC_NAMES, ...(labelled ? ['accuracy', 'macro-f1'] : [])]));
  for (const m of e.models) if (m.overlap && m.overlap.normalized > 0) lines.push(overlapWarning(m));
  for (const m of e.models) if (m.label_metrics) lines.push('', labelTables(m));
  if (e.judge) lines.push('', describeJudge(e.judge));
  for (const m of e.models) if (m.error) lines.push(`${m.label}: ${m.error.code}: ${m.error.message}\n  hint: ${m.error.hint}`);
  return lines.join('\n');
}

/** The warning printed under the table for a column whose job trained on some of the test prompts. */
export function overlapWarning(m: EvaluationColumn): string {
  const o = m.overlap!;
  return `warning: ${m.label}: ${o.normalized} of ${o.test_rows} test rows also appear in the training data of ${o.job_id} (${o.exact} exact, ${o.normalized - o.exact} more once case, spacing and punctuation are ignored): those scores measure memory, not skill`;
}

function labelTables(m: EvaluationColumn): string {
  const lm = m.label_metrics!;
  const perLabel = lm.per_label.map((s) => ({ label: s.label, precision: fmt(s.precision), recall: fmt(s.recall), f1: fmt(s.f1), support: String(s.support) }));
  const columns = [...lm.labels, 'invalid'];
  const confusion = lm.confusion.map((counts, i) => Object.fromEntries([['reference', lm.labels[i]!], ...counts.map((n, j) => [columns[j]!, String(n)])]) as Record<string, string>);
  return [
    `${m.label}: macro-F1 ${fmt(lm.macro_f1)}, weighted-F1 ${fmt(lm.weighted_f1)}`,
    table(perLabel, ['label', 'precision', 'recall', 'f1', 'support']),
    `confusion (rows: reference label; columns: the label answered)`,
    table(confusion, ['reference', ...columns]),
  ].join('\n');
}
