import { useEffect } from 'react';

/** The tab's title: "<title> · Whetstone"; null leaves it as it is (the page is still loading). */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    if (title !== null) document.title = `${title} · Whetstone`;
  }, [title]);
}
