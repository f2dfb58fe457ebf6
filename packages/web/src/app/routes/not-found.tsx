import { paths } from '../../config/paths.ts';
import { useT } from '../../lib/i18n.tsx';
import { Link } from '../../lib/router.tsx';
import { appMessages } from '../app.i18n.ts';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

export function NotFoundPage() {
  const t = useT(appMessages);
  useDocumentTitle(t('notFoundTitle'));
  return (
    <>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFound')}</p>
      <p>
        <Link href={paths.overview()}>{t('goHome')}</Link>
      </p>
    </>
  );
}
