import { Section } from '../../components/section.tsx';
import { ModelList } from '../../features/models/components/model-list.tsx';
import { PullHubForm, RegisterLocalForm } from '../../features/models/components/model-register-form.tsx';
import { modelsMessages } from '../../features/models/models.i18n.ts';
import { useT } from '../../lib/i18n.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Models: every registered model; register a local folder or pull one from a hub. */
export default function ModelsPage() {
  const t = useT(modelsMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <h1>{t('title')}</h1>
      <Section title={t('listTitle')} id="models">
        <ModelList full />
      </Section>
      <div className="columns">
        <Section title={t('registerLocal')} id="register-local">
          <RegisterLocalForm />
        </Section>
        <Section title={t('pullHub')} id="pull-hub">
          <PullHubForm />
        </Section>
      </div>
    </>
  );
}
