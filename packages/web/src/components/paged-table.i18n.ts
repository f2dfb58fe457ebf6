import { defineMessages } from '../lib/i18n.tsx';

/** The pager under a paged table. */
export const pagedTableMessages = defineMessages({
  en: { previous: 'Previous', next: 'Next' },
  zh: { previous: '上一页', next: '下一页' },
});
