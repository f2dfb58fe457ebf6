import { useEffect, useRef } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { EvaluationSample } from '../api/evaluation-types.ts';
import { evaluationsMessages } from '../evaluations.i18n.ts';
import { DiffText } from './diff-text.tsx';
import { SampleVerdicts } from './sample-verdicts.tsx';

/** One sample in a modal dialog: the whole prompt, the reference, each answer diffed against it, and the judge's verdicts with reasons. */
export function SampleDialog({ sample, onClose }: { sample: EvaluationSample; onClose(): void }) {
  const t = useT(evaluationsMessages);
  const f = useFormatters();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const titleId = `sample-${sample.index}-title`;
  return (
    <dialog ref={ref} className="dialog sample-dialog" aria-labelledby={titleId} onClose={onClose} data-sample={sample.index}>
      <h2 id={titleId}>{t('sampleTitle', { n: sample.index + 1 })}</h2>
      <p className="muted small-text">{t('disagreement', { value: f.number(sample.disagreement, 1) })}</p>
      <h3>{t('prompt')}</h3>
      <div className="sample-messages" translate="no">
        {sample.messages.map((m, i) => (
          <p key={i} className={`message message-${m.role}`}>
            <strong>{m.role}</strong> {m.content}
          </p>
        ))}
      </div>
      <h3>{t('reference')}</h3>
      <p className="sample-text" translate="no">
        {sample.reference}
      </p>
      <p className="muted small-text">{t('legend')}</p>
      {sample.outputs.map((o, i) => (
        <div key={i} className="sample-output" data-output={i}>
          <h3>
            <span translate="no">{o.label}</span>
          </h3>
          {o.prediction === null ? <p className="muted">{o.error ? <span translate="no">{`${o.error.code}: ${o.error.message}`}</span> : t('noAnswer')}</p> : <DiffText reference={sample.reference} answer={o.prediction} />}
          {o.scores && (
            <p className="small-text muted">
              {t('scores', { bleu: f.number(o.scores['bleu-4'], 1), rouge: f.number(o.scores['rouge-l'], 1), exact: f.number(o.scores.exact_match, 0) })}
            </p>
          )}
        </div>
      ))}
      {sample.judge && <SampleVerdicts judge={sample.judge} />}
      <div className="actions">
        <button type="button" className="button" onClick={() => ref.current?.close()} autoFocus>
          {t('close')}
        </button>
      </div>
    </dialog>
  );
}
