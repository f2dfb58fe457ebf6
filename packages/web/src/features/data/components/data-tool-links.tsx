import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { qaMessages } from '../qa.i18n.ts';
import { tokensMessages } from '../tokens.i18n.ts';
import './data-tools.css';

/** The Data page's tools: count tokens, draft question-answer pairs from a document. */
export function DataToolLinks() {
  const tt = useT(tokensMessages);
  const tq = useT(qaMessages);
  return (
    <ul className="tool-links" data-testid="data-tools">
      <li>
        <Link href={paths.dataTokens()}>{tt('title')}</Link>
      </li>
      <li>
        <Link href={paths.dataQa()}>{tq('title')}</Link>
      </li>
    </ul>
  );
}
