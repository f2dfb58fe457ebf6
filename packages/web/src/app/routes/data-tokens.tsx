import { paths } from '../../config/paths.ts';
import { TokenCalculator } from '../../features/data/components/token-calculator.tsx';
import { tokensMessages } from '../../features/data/tokens.i18n.ts';
import { useT } from '../../lib/i18n.tsx';
import { Link } from '../../lib/router.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** The token calculator: a text or a chat counted with a registered model's tokenizer. */
export default function TokensPage() {
  const t = useT(tokensMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <p className="small-text">
        <Link href={paths.data()}>{t('back')}</Link>
      </p>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <TokenCalculator />
    </>
  );
}
