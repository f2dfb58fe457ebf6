import type { DiagnosisEvidence } from '@whetstone/core';

/** A step the diagnosis points at, and which evidence item (0-based, as listed) it belongs to. */
export interface EvidenceMark {
  step: number;
  item: number;
}

/** Every step of every evidence item, once per item, in list order: what the loss chart marks. */
export function evidenceMarks(evidence: readonly Pick<DiagnosisEvidence, 'steps'>[]): EvidenceMark[] {
  const marks: EvidenceMark[] = [];
  evidence.forEach((e, item) => {
    for (const step of new Set(e.steps)) marks.push({ step, item });
  });
  return marks;
}
