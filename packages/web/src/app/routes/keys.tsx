import { Section } from '../../components/section.tsx';
import { KeyCreateForm } from '../../features/keys/components/key-create-form.tsx';
import { KeyList } from '../../features/keys/components/key-list.tsx';
import { keysMessages } from '../../features/keys/keys.i18n.ts';
import { useT } from '../../lib/i18n.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** API keys: create (the secret shown once), list, revoke. Admins only; others see FORBIDDEN. */
export default function KeysPage() {
  const t = useT(keysMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <Section title={t('create')} id="create-key">
        <KeyCreateForm />
      </Section>
      <Section title={t('stored')} id="keys">
        <KeyList />
      </Section>
    </>
  );
}
