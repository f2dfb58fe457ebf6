import { useEffect } from 'react';
import { Section } from '../../components/section.tsx';
import { DataToolLinks } from '../../features/data/components/data-tool-links.tsx';
import { DatasetList } from '../../features/data/components/dataset-list.tsx';
import { DatasetUpload } from '../../features/data/components/dataset-upload.tsx';
import { dataMessages } from '../../features/data/data.i18n.ts';
import { useT } from '../../lib/i18n.tsx';

/** Data: upload with validation, and every dataset. */
export default function DataPage() {
  const t = useT(dataMessages);
  useEffect(() => {
    document.title = `${t('title')} · Whetstone`;
  }, [t]);
  return (
    <>
      <h1>{t('title')}</h1>
      <DataToolLinks />
      <Section title={t('upload')} id="upload">
        <DatasetUpload />
      </Section>
      <Section title={t('datasets')} id="datasets">
        <DatasetList />
      </Section>
    </>
  );
}
