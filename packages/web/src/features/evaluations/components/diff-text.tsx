import { useMemo } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import { evaluationsMessages } from '../evaluations.i18n.ts';
import { wordDiff } from '../lib/word-diff.ts';

/** An answer against the reference: words only the answer has in <ins>, the reference's it missed in <del>. */
export function DiffText({ reference, answer }: { reference: string; answer: string }) {
  const t = useT(evaluationsMessages);
  const parts = useMemo(() => wordDiff(reference, answer), [reference, answer]);
  return (
    <p className="diff" translate="no">
      {parts.map((p, i) =>
        p.kind === 'same' ? (
          <span key={i}>{p.text}</span>
        ) : p.kind === 'added' ? (
          <ins key={i} title={t('added')}>
            {p.text}
          </ins>
        ) : (
          <del key={i} title={t('removed')}>
            {p.text}
          </del>
        ),
      )}
    </p>
  );
}
