import { useT } from '../../../lib/i18n.tsx';
import { tokensMessages } from '../tokens.i18n.ts';
import { tokenLabel } from '../utils/token-label.ts';

/** Enough boxes to read a text's tokenization without making the page slow on a long document. */
const MAX_SHOWN = 2000;

/** Each token in its own box, so the boundaries show; white space is drawn as · ↵ →. */
export function TokenBoxes({ tokens, ids }: { tokens: string[]; ids: number[] }) {
  const t = useT(tokensMessages);
  const shown = tokens.slice(0, MAX_SHOWN);
  return (
    <>
      <ol className="token-boxes" aria-label={t('tokenList')} data-testid="token-boxes" translate="no">
        {shown.map((tok, i) => (
          <li key={i} title={t('tokenTitle', { n: i + 1, id: String(ids[i]) })} data-token-id={ids[i]}>
            {tokenLabel(tok)}
          </li>
        ))}
      </ol>
      {tokens.length > shown.length && <p className="small-text muted">{t('shownOf', { shown: shown.length, total: tokens.length })}</p>}
    </>
  );
}
