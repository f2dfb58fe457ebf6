import { useT } from '../lib/i18n.tsx';
import { defineMessages } from '../lib/i18n.tsx';

const messages = defineMessages({ en: { loading: 'Loading…' }, zh: { loading: '加载中…' } });

/** A polite placeholder while data or a page chunk loads. */
export function Loading() {
  const t = useT(messages);
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}
