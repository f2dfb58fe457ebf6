import { useId } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import type { FieldProblem, SamplingInput } from '../api/sampling-params.ts';
import { playgroundMessages } from '../playground.i18n.ts';

const FIELDS = [
  { key: 'temperature', label: 'temperature', min: 0, max: 2, step: 0.1 },
  { key: 'top_p', label: 'topP', min: 0, max: 1, step: 0.05 },
  { key: 'max_tokens', label: 'maxTokens', min: 1, max: 8192, step: 1 },
] as const;

/** Temperature, top p and max new tokens, each with its problem shown beneath it. */
export function SamplingFields({ value, onChange, problems }: { value: SamplingInput; onChange(v: SamplingInput): void; problems: Partial<Record<keyof SamplingInput, FieldProblem>> }) {
  const t = useT(playgroundMessages);
  const id = useId();
  return (
    <div className="pg-sampling">
      {FIELDS.map((f) => {
        const problem = problems[f.key];
        const inputId = `${id}-${f.key}`;
        return (
          <div className="field" key={f.key}>
            <label htmlFor={inputId}>{t(f.label)}</label>
            <input
              id={inputId}
              name={f.key}
              type="number"
              inputMode="decimal"
              min={f.min}
              max={f.max}
              step={f.step}
              value={value[f.key]}
              onChange={(e) => onChange({ ...value, [f.key]: e.target.value })}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${inputId}-problem` : undefined}
            />
            {problem && (
              <span id={`${inputId}-problem`} className="field-problem" role="alert">
                {t(problem.key, problem.vars)}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}
