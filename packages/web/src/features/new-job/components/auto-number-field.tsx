import { useId } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import { newJobMessages } from '../new-job.i18n.ts';
import type { AutoNumber } from '../utils/build-job-request.ts';

/**
 * A number the server may choose: "Auto" (checked by default) leaves it to the server, whose
 * pick shows in the box; unchecked, the person types their own. The server's complaint about
 * the field shows under it.
 */
export function AutoNumberField({
  label,
  value,
  onChange,
  resolved,
  error,
  hint,
  name,
}: {
  label: string;
  value: AutoNumber;
  onChange: (v: AutoNumber) => void;
  resolved?: unknown;
  error?: string;
  /** The server's advice for the error, shown under its message. */
  hint?: string | null;
  name: string;
}) {
  const t = useT(newJobMessages);
  const inputId = useId();
  const errorId = useId();
  const shown = value.auto ? '' : value.value;
  const placeholder = value.auto && resolved !== undefined && resolved !== null ? String(resolved) : undefined;
  return (
    <div className="field auto-field" data-field={name}>
      <label htmlFor={inputId}>{label}</label>
      <div className="auto-row">
        <label className="check">
          <input type="checkbox" checked={value.auto} onChange={(e) => onChange({ auto: e.target.checked, value: value.value || (placeholder ?? '') })} />
          <span>{t('auto')}</span>
          <span className="sr-only">{label}</span>
        </label>
        <input
          id={inputId}
          name={name}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={shown}
          placeholder={placeholder}
          disabled={value.auto}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => onChange({ auto: false, value: e.target.value })}
        />
      </div>
      {error && <FieldError id={errorId} message={error} hint={hint} />}
    </div>
  );
}

/** The server's words about one field, under it. */
export function FieldError({ id, message, hint }: { id: string; message: string; hint?: string | null }) {
  return (
    <div id={id} className="field-error" role="alert" translate="no">
      <p>{message}</p>
      {hint && <p className="error-hint">{hint}</p>}
    </div>
  );
}
