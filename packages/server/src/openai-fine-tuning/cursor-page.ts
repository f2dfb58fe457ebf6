import { WhetError } from '@whetstone/core';
import { queryInt } from '../middleware/query-int.ts';

/** OpenAI's cursor pages: `after` is the id of the last item seen, `has_more` says whether to ask again. */
export interface CursorPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** A page of `items` (already in the list's order) after the item `after`, at most `limit` long. */
export function cursorPage<T extends { id: string }>(items: T[], after: string | undefined, limit: number, what: string): CursorPage<T> {
  let start = 0;
  if (after !== undefined && after !== '') {
    const i = items.findIndex((x) => x.id === after);
    if (i < 0) {
      throw new WhetError('INVALID_REQUEST', `after "${after}" is not the id of one of the ${what}`, {
        field: 'after',
        hint: `Pass the id of the last ${what.replace(/s$/, '')} of the page before (its last_id), or leave after out for the first page.`,
      });
    }
    start = i + 1;
  }
  const data = items.slice(start, start + limit);
  return { object: 'list', data, has_more: start + limit < items.length, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** `?limit=` within OpenAI's bounds for the list (default when absent). */
export const pageLimit = (raw: string | undefined, fallback: number, max: number) => queryInt('limit', raw, { min: 1, max }) ?? fallback;
