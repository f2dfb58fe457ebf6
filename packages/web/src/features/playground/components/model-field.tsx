import { useId } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import type { CallableModel } from '../api/use-callable-models.ts';
import { modelKindMessages } from '../playground.i18n.ts';

/**
 * A model name with the callable models as suggestions (a combobox): any name may be typed, as
 * with the API, so a deployment that is still starting can be named too.
 */
export function ModelField({ label, help, value, onChange, models, name }: { label: string; help: string; value: string; onChange(v: string): void; models: CallableModel[]; name: string }) {
  const id = useId();
  const tk = useT(modelKindMessages);
  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>{label}</label>
      <input id={`${id}-input`} name={name} list={`${id}-list`} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" spellCheck={false} translate="no" aria-describedby={`${id}-help`} required />
      <datalist id={`${id}-list`}>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.kind in modelKindMessages.en ? tk(m.kind as keyof typeof modelKindMessages.en) : m.kind}
          </option>
        ))}
      </datalist>
      <span id={`${id}-help`} className="muted small-text">
        {help}
      </span>
    </div>
  );
}
