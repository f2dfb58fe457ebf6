import { Section } from '../../components/section.tsx';
import { paths } from '../../config/paths.ts';
import { DataToolLinks } from '../../features/data/components/data-tool-links.tsx';
import { DatasetList } from '../../features/data/components/dataset-list.tsx';
import { DatasetUpload } from '../../features/data/components/dataset-upload.tsx';
import { dataMessages } from '../../features/data/data.i18n.ts';
import { useT } from '../../lib/i18n.tsx';
import { Link } from '../../lib/router.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Data: upload with validation, every dataset, and a way into the new fine-tune's mix builder. */
export default function DataPage() {
  const t = useT(dataMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <h1>{t('title')}</h1>
      <DataToolLinks />
      <Section title={t('upload')} id="upload">
        <DatasetUpload />
      </Section>
      <Section title={t('datasets')} id="datasets">
        <DatasetList />
        <p>
          <Link className="button" href={`${paths.newJob()}?mix=1`}>
            {t('mixDatasets')}
          </Link>
        </p>
      </Section>
    </>
  );
}
