import { useState } from 'react';
import { defineMessages, useT } from '../lib/i18n.tsx';

const messages = defineMessages({
  en: { copy: 'Copy', copied: 'Copied', failed: 'Copy failed: select the text and copy it by hand' },
  zh: { copy: '复制', copied: '已复制', failed: '复制失败：请选中文字手动复制' },
});

/** Copies `text` to the clipboard and says so (politely, for screen readers too). */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useT(messages);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <span className="copy">
      <button type="button" className="button small" onClick={copy} aria-label={label ? `${t('copy')}: ${label}` : undefined}>
        {t('copy')}
      </button>
      <span role="status" className="small-text muted">
        {state === 'idle' ? '' : t(state)}
      </span>
    </span>
  );
}
