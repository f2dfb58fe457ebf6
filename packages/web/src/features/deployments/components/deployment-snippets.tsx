import { useId, useState } from 'react';
import { CopyButton } from '../../../components/copy-button.tsx';
import { getApiKey } from '../../../lib/api-key.ts';
import { useT } from '../../../lib/i18n.tsx';
import { buildSnippets, type Snippets } from '../api/deployment-snippets.ts';
import { deploymentsMessages } from '../deployments.i18n.ts';

const LANGS: (keyof Snippets)[] = ['curl', 'python', 'javascript'];

/**
 * curl and openai SDK calls for one deployment, each with a copy button: this server's origin
 * + /v1, the deployment's name as the model, and $WHET_API_KEY when the server wants a key.
 */
export function DeploymentSnippets({ name }: { name: string }) {
  const t = useT(deploymentsMessages);
  // The console holds a key only when the server asked for one: then the callers need one too.
  const keyRequired = getApiKey() !== null;
  const origin = window.location.origin;
  const snippets = buildSnippets({ origin, model: name, keyRequired });
  const [lang, setLang] = useState<keyof Snippets>('curl');
  const id = useId();
  return (
    <div className="snippets" data-testid="snippets">
      <p>
        {t('snippetsIntro', { base: `${origin}/v1`, name })}
      </p>
      {keyRequired && <p className="small-text">{t('snippetsKey')}</p>}
      <div role="tablist" aria-label={t('snippetLanguage')} className="tabs">
        {LANGS.map((l) => (
          <button
            key={l}
            type="button"
            role="tab"
            id={`${id}-tab-${l}`}
            aria-selected={lang === l}
            aria-controls={`${id}-panel`}
            tabIndex={lang === l ? 0 : -1}
            className={lang === l ? 'button small primary' : 'button small'}
            onClick={() => setLang(l)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
              const next = LANGS[(LANGS.indexOf(l) + (e.key === 'ArrowRight' ? 1 : LANGS.length - 1)) % LANGS.length]!;
              setLang(next);
              document.getElementById(`${id}-tab-${next}`)?.focus();
            }}
          >
            {t(l)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${lang}`}>
        <pre className="code" translate="no" data-snippet={lang} tabIndex={0}>
          <code>{snippets[lang]}</code>
        </pre>
        <CopyButton text={snippets[lang]} label={t(lang)} />
      </div>
    </div>
  );
}
