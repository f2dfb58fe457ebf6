import type { EvaluationJudgeInput } from '@whetstone/core';

/** The judge as the form holds it: `source` is '' (no judge), `model:<id>`, `deployment:<name>` or `endpoint:<connection>`. */
export interface JudgeDraft {
  source: string;
  rubric: 'helpfulness' | 'correctness' | 'own';
  /** The user's own instruction to the judge (rubric "own"). */
  rubricText: string;
  mode: 'single' | 'pairwise';
  /** Decode only the verdict strings (local judges). */
  constrain: boolean;
}

export const NO_JUDGE: JudgeDraft = { source: '', rubric: 'helpfulness', rubricText: '', mode: 'single', constrain: false };

export type JudgeProblem = 'judgeMissing' | 'judgeRubricEmpty' | 'judgeNeedsTwo';

/**
 * The `judge` of an evaluation body, or undefined without one; problems name what keeps it from
 * being sent. `required` (judging an evaluation again): no judge chosen is a problem too.
 */
export function judgeRequest(d: JudgeDraft, columns: number, required = false): { judge: EvaluationJudgeInput | undefined; problems: JudgeProblem[] } {
  if (!d.source) return { judge: undefined, problems: required ? ['judgeMissing'] : [] };
  const problems: JudgeProblem[] = [];
  if (d.rubric === 'own' && !d.rubricText.trim()) problems.push('judgeRubricEmpty');
  if (d.mode === 'pairwise' && columns < 2) problems.push('judgeNeedsTwo');
  const [kind, ...rest] = d.source.split(':');
  const ref = rest.join(':');
  const model =
    kind === 'deployment'
      ? ({ kind: 'deployment', deployment: ref } as const)
      : kind === 'endpoint'
        ? ({ kind: 'endpoint', connection: ref } as const)
        : ({ kind: 'model', model_id: ref } as const);
  const judge: EvaluationJudgeInput = {
    model,
    rubric: d.rubric === 'own' ? { name: 'own', text: d.rubricText.trim() } : d.rubric,
    mode: d.mode,
    ...(d.constrain && kind !== 'endpoint' ? { constrain: true } : {}),
  };
  return { judge: problems.length ? undefined : judge, problems };
}
