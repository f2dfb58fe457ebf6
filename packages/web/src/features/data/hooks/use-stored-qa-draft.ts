import { useCallback, useEffect, useState } from 'react';
import { parseStoredDraft, type QaDraft } from '../utils/qa-draft.ts';

const KEY = 'whet.data.qa-draft';

/** The drafts under review, kept in sessionStorage so a reload keeps every edit until they are saved or discarded. */
export function useStoredQaDraft(): [QaDraft | null, (d: QaDraft | null | ((old: QaDraft | null) => QaDraft | null)) => void] {
  const [draft, setDraft] = useState<QaDraft | null>(() => {
    try {
      return parseStoredDraft(sessionStorage.getItem(KEY));
    } catch {
      return null; // storage disabled
    }
  });
  useEffect(() => {
    try {
      if (draft) sessionStorage.setItem(KEY, JSON.stringify(draft));
      else sessionStorage.removeItem(KEY);
    } catch {
      // storage disabled or full: the drafts stay on the page, just not across a reload
    }
  }, [draft]);
  return [draft, useCallback((d) => setDraft(d), [])];
}
