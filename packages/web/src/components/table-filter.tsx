import { useId, type ReactNode } from 'react';

/** A labelled select beside a paged table's other filters (the caller goes back to the first page on a change). */
export function TableFilter({ label, value, onChange, children }: { label: string; value: string; onChange(value: string): void; children: ReactNode }) {
  const id = useId();
  return (
    <div className="field inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}
