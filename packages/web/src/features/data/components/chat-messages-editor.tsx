import { ROLES, type Message } from '@whetstone/core';
import { useT } from '../../../lib/i18n.tsx';
import { roleMessages, tokensMessages } from '../tokens.i18n.ts';

type Row = Pick<Message, 'role' | 'content'>;

/** Chat messages as rows of role + content, added and removed with buttons (one row at least). */
export function ChatMessagesEditor({ messages, onChange }: { messages: Row[]; onChange(messages: Row[]): void }) {
  const t = useT(tokensMessages);
  const tr = useT(roleMessages);
  const set = (i: number, patch: Partial<Row>) => onChange(messages.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <fieldset className="chat-rows" data-testid="chat-rows">
      <legend>{t('modeChat')}</legend>
      {messages.map((m, i) => (
        <div className="chat-row" key={i} role="group" aria-label={t('messageN', { n: i + 1 })}>
          <label className="field">
            <span>{t('role')}</span>
            <select value={m.role} onChange={(e) => set(i, { role: e.target.value as Row['role'] })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tr(r)}
                </option>
              ))}
            </select>
          </label>
          <label className="field grow">
            <span>{t('content')}</span>
            <textarea rows={2} translate="no" value={m.content} onChange={(e) => set(i, { content: e.target.value })} />
          </label>
          <button type="button" className="button small" aria-label={t('removeMessage', { n: i + 1 })} disabled={messages.length === 1} onClick={() => onChange(messages.filter((_, j) => j !== i))}>
            {t('remove')}
          </button>
        </div>
      ))}
      <button type="button" className="button" onClick={() => onChange([...messages, { role: messages.at(-1)?.role === 'user' ? 'assistant' : 'user', content: '' }])}>
        {t('addMessage')}
      </button>
    </fieldset>
  );
}
