import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { TokenCount } from '../api/use-token-count.ts';
import { tokensMessages } from '../tokens.i18n.ts';
import { charactersPerToken } from '../utils/token-request.ts';
import { TokenBoxes } from './token-boxes.tsx';

/** The count, characters and characters per token, the share of the context; the tokens of a text, the templated text of a chat. */
export function TokenResult({ result, chat }: { result: TokenCount; chat: boolean }) {
  const t = useT(tokensMessages);
  const f = useFormatters();
  const perToken = charactersPerToken(result.characters, result.count);
  const context = result.model.context_length;
  const r = result as TokenCount & { tokens?: string[]; ids?: number[]; chat_template?: boolean };
  return (
    <div data-testid="token-result" data-count={result.count}>
      <dl className="token-figures">
        <div>
          <dt>{t('tokens')}</dt>
          <dd data-testid="token-count">{f.number(result.count)}</dd>
        </div>
        <div>
          <dt>{t('characters')}</dt>
          <dd>{f.number(result.characters)}</dd>
        </div>
        <div>
          <dt>{t('perToken')}</dt>
          <dd>{perToken === null ? '–' : f.number(perToken, 1)}</dd>
        </div>
      </dl>
      {context ? <p className="small-text muted">{t('contextShare', { pct: Math.round((result.count / context) * 1000) / 10, context })}</p> : null}
      {r.tokens && r.ids && <TokenBoxes tokens={r.tokens} ids={r.ids} />}
      {chat && (
        <p className="small-text muted" data-testid="chat-note">
          {r.chat_template ? t('withTemplate') : t('noTemplate')}
        </p>
      )}
    </div>
  );
}
