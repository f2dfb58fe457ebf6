import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Section } from '../../../components/section.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { DEFAULT_SAMPLING, parseSampling, type SamplingInput } from '../api/sampling-params.ts';
import { useCallableModels } from '../api/use-callable-models.ts';
import { usePlaygroundSession } from '../api/use-playground-session.ts';
import { useSessionSetting } from '../api/use-session-setting.ts';
import { playgroundMessages } from '../playground.i18n.ts';
import { Conversation } from './conversation.tsx';
import { ModelField } from './model-field.tsx';
import { SamplingFields } from './sampling-fields.tsx';
import '../playground.css';

type Mode = 'chat' | 'compare';

/**
 * The playground: pick one model to chat with or two to compare, a system prompt and sampling,
 * then send prompts and watch the answers stream in, with a Stop button while they do. The
 * settings outlive a reload (session storage); the conversation does not.
 */
export function Playground() {
  const t = useT(playgroundMessages);
  const models = useCallableModels();
  const session = usePlaygroundSession();
  const [mode, setMode] = useSessionSetting<Mode>('mode', 'chat');
  const [modelA, setModelA] = useSessionSetting('modelA', '');
  const [modelB, setModelB] = useSessionSetting('modelB', '');
  const [system, setSystem] = useSessionSetting('system', '');
  const [sampling, setSampling] = useSessionSetting<SamplingInput>('sampling', DEFAULT_SAMPLING);
  const [prompt, setPrompt] = useState('');
  const [tried, setTried] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const message = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  // The first callable models are the defaults, once the list arrives.
  const list = models.data ?? [];
  useEffect(() => {
    if (!list.length) return;
    setModelA((a) => a || list[0]!.id);
    setModelB((b) => b || (list[1] ?? list[0])!.id);
  }, [list]);

  const checked = parseSampling(sampling);
  const chosen: [string] | [string, string] = mode === 'compare' ? [modelA.trim(), modelB.trim()] : [modelA.trim()];
  const missingModel = chosen.some((m) => !m);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (session.busy || !prompt.trim() || missingModel || !checked.params) return;
    void session.send({ models: chosen, system, params: checked.params, prompt });
    setPrompt('');
    setTried(false);
    message.current?.focus(); // Send is disabled until the next prompt: keep the focus in the composer
  };
  const stop = () => {
    session.stop();
    message.current?.focus();
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.current?.requestSubmit();
    }
  };

  if (models.isPending) return <Loading />;
  if (models.error) return <ErrorMessage error={models.error} onRetry={() => void models.refetch()} />;

  return (
    <form ref={form} onSubmit={submit} className="pg" noValidate>
      <Section title={t('settings')} id="pg-settings">
        {!list.length && (
          <p className="pg-no-models">
            {t('noModels')} <Link href={paths.models()}>{t('goModels')}</Link>
          </p>
        )}
        <fieldset className="pg-mode">
          <legend>{t('mode')}</legend>
          {(['chat', 'compare'] as const).map((m) => (
            <label key={m} className="check">
              <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
              {t(m === 'chat' ? 'modeChat' : 'modeCompare')}
            </label>
          ))}
        </fieldset>
        <div className="pg-models">
          <ModelField name="model-a" label={mode === 'compare' ? t('modelA') : t('model')} help={t('modelHelp')} value={modelA} onChange={setModelA} models={list} />
          {mode === 'compare' && <ModelField name="model-b" label={t('modelB')} help={t('modelHelp')} value={modelB} onChange={setModelB} models={list} />}
        </div>
        {tried && missingModel && <p className="field-problem">{t('needModel')}</p>}
        <div className="field">
          <label htmlFor={`${id}-system`}>{t('systemPrompt')}</label>
          <textarea id={`${id}-system`} rows={2} value={system} onChange={(e) => setSystem(e.target.value)} aria-describedby={`${id}-system-help`} translate="no" />
          <span id={`${id}-system-help`} className="muted small-text">
            {t('systemHelp')}
          </span>
        </div>
        <SamplingFields value={sampling} onChange={setSampling} problems={checked.problems} />
      </Section>

      <Section
        title={t('conversation')}
        id="pg-conversation"
        actions={
          <button type="button" className="button small" onClick={session.clear} disabled={!session.turns.length}>
            {t('clear')}
          </button>
        }
      >
        {mode === 'compare' && <p className="muted small-text">{t('compareNote')}</p>}
        <Conversation turns={session.turns} />
        <div className="field pg-composer">
          <label htmlFor={`${id}-message`}>{t('message')}</label>
          <textarea ref={message} id={`${id}-message`} name="message" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} onKeyDown={onKey} translate="no" />
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={session.busy || !prompt.trim()}>
            {t('send')}
          </button>
          {session.busy && (
            <button type="button" className="button danger" onClick={stop}>
              {t('stop')}
            </button>
          )}
        </div>
      </Section>
    </form>
  );
}
