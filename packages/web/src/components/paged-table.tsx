import { useState, type ReactNode } from 'react';
import { useT } from '../lib/i18n.tsx';
import { ErrorMessage } from './error-message.tsx';
import { Loading } from './loading.tsx';
import { pagedTableMessages } from './paged-table.i18n.ts';
import './paged-table.css';

/** What PagedTable reads of a page query (a react-query result whose data is `{data, total}`). */
export interface PageQuery<T> {
  isPending: boolean;
  isFetching: boolean;
  error: unknown;
  data: { data: readonly T[]; total: number } | undefined;
  refetch(): unknown;
}

export interface PageWindow {
  offset: number;
  size: number;
  onOffset(offset: number): void;
  /** "Rows 1–10 of 42", in the words of the feature. */
  range(r: { from: number; to: number; total: number }): string;
}

/** The first row a paged table shows, and `refilter`: a filter's setter that also goes back to the first page. */
export function usePageOffset() {
  const [offset, setOffset] = useState(0);
  const refilter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setOffset(0);
    };
  return { offset, setOffset, refilter };
}

/**
 * One page of a server-paged list as a table: Loading until the first page comes, the error with
 * a retry, else the filters (`controls`), the rows or the empty message, and a pager. The table
 * scrolls sideways and is `aria-busy` while another page loads (the previous one stays).
 */
export function PagedTable<T>({
  query,
  controls,
  empty,
  className,
  caption,
  head,
  row,
  page,
}: {
  query: PageQuery<T>;
  controls?: ReactNode;
  empty: string;
  /** The table's own class, beside `table`. */
  className: string;
  caption: string;
  /** The header row's cells. */
  head: ReactNode;
  /** One item's `<tr>`, with its key. */
  row(item: T): ReactNode;
  page: PageWindow;
}) {
  if (query.isPending) return <Loading />;
  if (query.error || !query.data) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  const { data, total } = query.data;
  return (
    <>
      {controls && <div className="table-tools">{controls}</div>}
      {data.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-scroll">
          <table className={`table ${className}`} aria-busy={query.isFetching}>
            <caption className="sr-only">{caption}</caption>
            <thead>
              <tr>{head}</tr>
            </thead>
            <tbody>{data.map(row)}</tbody>
          </table>
        </div>
      )}
      {total > 0 && <Pager page={page} total={total} />}
    </>
  );
}

function Pager({ page, total }: { page: PageWindow; total: number }) {
  const t = useT(pagedTableMessages);
  const { offset, size, onOffset } = page;
  return (
    <div className="pager">
      <span className="small-text muted">{page.range({ from: offset + 1, to: Math.min(total, offset + size), total })}</span>
      <button type="button" className="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - size))}>
        {t('previous')}
      </button>
      <button type="button" className="button" disabled={offset + size >= total} onClick={() => onOffset(offset + size)}>
        {t('next')}
      </button>
    </div>
  );
}
