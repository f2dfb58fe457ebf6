import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { TokenCountRequest } from '@whetstone/core';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useStatsModels } from '../api/use-stats-models.ts';
import { useTokenCount } from '../api/use-token-count.ts';
import { useDebounced } from '../../../lib/use-debounced.ts';
import { tokensMessages } from '../tokens.i18n.ts';
import { tokenRequest, type TokenForm } from '../utils/token-request.ts';
import { ChatMessagesEditor } from './chat-messages-editor.tsx';
import { TokenResult } from './token-result.tsx';
import './data-tools.css';

const TYPING_PAUSE_MS = 400;

/**
 * Pick a model, type a text or a chat: the count, characters per token and (for text) the tokens
 * themselves. Counts follow typing after a pause, or on the button when live counting is off.
 */
export function TokenCalculator() {
  const t = useT(tokensMessages);
  const id = useId();
  const models = useStatsModels();
  const [form, setForm] = useState<TokenForm>({ model: '', mode: 'text', text: '', messages: [{ role: 'user', content: '' }], addSpecialTokens: false, addGenerationPrompt: false });
  const [live, setLive] = useState(true);
  const [requested, setRequested] = useState<TokenCountRequest | null>(null);
  const body = useMemo(() => tokenRequest(form), [form]);
  const settled = useDebounced(body, TYPING_PAUSE_MS);
  const count = useTokenCount(requested);

  const firstModel = models.data?.[0]?.id;
  useEffect(() => {
    if (firstModel && !form.model) setForm((f) => ({ ...f, model: firstModel }));
  }, [firstModel, form.model]);
  useEffect(() => {
    if (live) setRequested(settled);
  }, [live, settled]);

  const update = (patch: Partial<TokenForm>) => setForm((f) => ({ ...f, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (JSON.stringify(body) === JSON.stringify(requested)) void count.refetch();
    else setRequested(body);
  };

  if (models.error) return <ErrorMessage error={models.error} onRetry={() => void models.refetch()} />;
  if (!models.data) return <Loading />;
  if (models.data.length === 0) {
    return (
      <p className="muted">
        {t('noModels')} <Link href={paths.models()}>{t('modelsPage')}</Link>
      </p>
    );
  }
  const outdated = count.data !== undefined && JSON.stringify(body) !== JSON.stringify(requested);
  return (
    <>
      <form onSubmit={submit} data-testid="token-form">
        <div className="inline-form">
          <div className="field">
            <label htmlFor={`${id}-model`}>{t('model')}</label>
            <select id={`${id}-model`} value={form.model} onChange={(e) => update({ model: e.target.value })} translate="no">
              {models.data.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
          <div className="tabs mode-switch" role="group" aria-label={t('mode')}>
            {(['text', 'chat'] as const).map((mode) => (
              <button key={mode} type="button" className="button" aria-pressed={form.mode === mode} onClick={() => update({ mode })}>
                {mode === 'text' ? t('modeText') : t('modeChat')}
              </button>
            ))}
          </div>
        </div>
        {form.mode === 'text' ? (
          <>
            <div className="field">
              <label htmlFor={`${id}-text`}>{t('text')}</label>
              <textarea id={`${id}-text`} rows={6} translate="no" value={form.text} placeholder={t('textPlaceholder')} onChange={(e) => update({ text: e.target.value })} aria-invalid={count.error ? true : undefined} />
            </div>
            <label className="check">
              <input type="checkbox" checked={form.addSpecialTokens} onChange={(e) => update({ addSpecialTokens: e.target.checked })} />
              <span>{t('addSpecialTokens')}</span>
            </label>
          </>
        ) : (
          <>
            <ChatMessagesEditor messages={form.messages} onChange={(messages) => update({ messages })} />
            <label className="check">
              <input type="checkbox" checked={form.addGenerationPrompt} onChange={(e) => update({ addGenerationPrompt: e.target.checked })} />
              <span>{t('addGenerationPrompt')}</span>
            </label>
          </>
        )}
        {count.error && <ErrorMessage error={count.error} />}
        <div className="actions">
          <button type="submit" className="button primary" disabled={body === null || count.isFetching}>
            {count.isFetching ? t('counting') : t('count')}
          </button>
          <label className="check">
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} />
            <span>{t('live')}</span>
          </label>
        </div>
      </form>
      <section className="section" aria-labelledby={`${id}-result`} aria-live="polite" aria-busy={count.isFetching}>
        <h2 id={`${id}-result`}>{t('result')}</h2>
        {count.data && requested ? (
          <>
            {outdated && !live && <p className="small-text muted">{t('outdated')}</p>}
            <TokenResult result={count.data} chat={'messages' in requested} />
          </>
        ) : (
          <p className="muted">{t('nothing')}</p>
        )}
      </section>
    </>
  );
}
