import { paths } from '../../config/paths.ts';
import { QaDrafts } from '../../features/data/components/qa-drafts.tsx';
import { qaMessages } from '../../features/data/qa.i18n.ts';
import { useT } from '../../lib/i18n.tsx';
import { Link } from '../../lib/router.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Documents into supervised data: draft question-answer pairs, review them, save a dataset. */
export default function QaDraftsPage() {
  const t = useT(qaMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <p className="small-text">
        <Link href={paths.data()}>{t('back')}</Link>
      </p>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <QaDrafts />
    </>
  );
}
