import type { ReactNode } from 'react';

/** A text field that may stay empty (the server's setting then), with its help and the server's complaint under it. */
export function OptionalField(p: { id: string; name: string; label: string; help: string; value: string; onChange: (v: string) => void; error: ReactNode; errorId?: string; inputMode?: 'decimal' | 'text' }) {
  return (
    <div className="field" data-field={p.name}>
      <label htmlFor={p.id}>{p.label}</label>
      <input
        id={p.id}
        name={p.name}
        type="text"
        inputMode={p.inputMode ?? 'decimal'}
        autoComplete="off"
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={[`${p.id}-help`, p.errorId].filter(Boolean).join(' ')}
      />
      <span id={`${p.id}-help`} className="muted small-text">
        {p.help}
      </span>
      {p.error}
    </div>
  );
}
