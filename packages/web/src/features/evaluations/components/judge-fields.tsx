import { useId } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import { useConnectionOptions, useDeploymentOptions, useModelOptions } from '../api/use-evaluation-options.ts';
import { evaluationsMessages } from '../evaluations.i18n.ts';
import { judgeMessages } from '../judge.i18n.ts';
import type { JudgeDraft, JudgeProblem } from '../lib/judge-request.ts';

/**
 * The judge of a new evaluation, or of one judged again (`required`: a judge must be chosen):
 * who judges (a model, deployment or connection), the rubric, the mode.
 */
export function JudgeFields({ value, onChange, problems, required = false }: { value: JudgeDraft; onChange(v: JudgeDraft): void; problems: JudgeProblem[]; required?: boolean }) {
  const t = useT(judgeMessages);
  const te = useT(evaluationsMessages);
  const id = useId();
  const models = useModelOptions().data ?? [];
  const deployments = useDeploymentOptions().data ?? [];
  const connections = useConnectionOptions().data ?? [];
  const set = (patch: Partial<JudgeDraft>) => onChange({ ...value, ...patch });
  const problem = (p: JudgeProblem) =>
    problems.includes(p) ? (
      <p className="field-error" id={`${id}-${p}`} role="alert">
        {t(p)}
      </p>
    ) : null;
  return (
    <fieldset className="eval-judge" data-judge-fields="">
      <legend>{t(required ? 'newJudge' : 'judge')}</legend>
      <p className="muted small-text">{t(required ? 'rejudgeHint' : 'judgeHint')}</p>
      <div className="field">
        <label htmlFor={`${id}-src`}>{t('judgeModel')}</label>
        <select id={`${id}-src`} value={value.source} onChange={(e) => set({ source: e.target.value })} {...(problems.includes('judgeMissing') ? { 'aria-invalid': true, 'aria-describedby': `${id}-judgeMissing` } : {})}>
          <option value="">{t(required ? 'chooseJudge' : 'noJudge')}</option>
          {models.length > 0 && (
            <optgroup label={te('baseModels')}>
              {models.map((m) => (
                <option key={m.id} value={`model:${m.id}`}>
                  {m.name}
                </option>
              ))}
            </optgroup>
          )}
          {deployments.length > 0 && (
            <optgroup label={t('deployments')}>
              {deployments.map((d) => (
                <option key={d.id} value={`deployment:${d.name}`}>
                  {d.name}
                </option>
              ))}
            </optgroup>
          )}
          {connections.length > 0 && (
            <optgroup label={te('endpoints')}>
              {connections.map((c) => (
                <option key={c.id} value={`endpoint:${c.name}`}>
                  {c.model ? `${c.name} (${c.model})` : c.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
        {problem('judgeMissing')}
      </div>
      {value.source && (
        <>
          <div className="field">
            <label htmlFor={`${id}-rubric`}>{t('rubric')}</label>
            <select id={`${id}-rubric`} value={value.rubric} onChange={(e) => set({ rubric: e.target.value as JudgeDraft['rubric'] })}>
              <option value="helpfulness">{t('rubricHelpfulness')}</option>
              <option value="correctness">{t('rubricCorrectness')}</option>
              <option value="own">{t('rubricOwn')}</option>
            </select>
          </div>
          {value.rubric === 'own' && (
            <div className="field">
              <label htmlFor={`${id}-text`}>{t('rubricText')}</label>
              <textarea
                id={`${id}-text`}
                translate="no"
                rows={3}
                maxLength={8000}
                value={value.rubricText}
                onChange={(e) => set({ rubricText: e.target.value })}
                aria-describedby={`${id}-text-hint`}
                {...(problems.includes('judgeRubricEmpty') ? { 'aria-invalid': true } : {})}
              />
              <p id={`${id}-text-hint`} className="muted small-text">
                {t('rubricTextHint')}
              </p>
              {problem('judgeRubricEmpty')}
            </div>
          )}
          <div className="field">
            <label htmlFor={`${id}-mode`}>{t('mode')}</label>
            <select id={`${id}-mode`} value={value.mode} onChange={(e) => set({ mode: e.target.value as JudgeDraft['mode'] })} {...(problems.includes('judgeNeedsTwo') ? { 'aria-invalid': true } : {})}>
              <option value="single">{t('modeSingle')}</option>
              <option value="pairwise">{t('modePairwise')}</option>
            </select>
            {problem('judgeNeedsTwo')}
          </div>
          {!value.source.startsWith('endpoint:') && (
            <label className="check">
              <input type="checkbox" checked={value.constrain} onChange={(e) => set({ constrain: e.target.checked })} />
              <span>{t('constrain')}</span>
            </label>
          )}
        </>
      )}
    </fieldset>
  );
}
