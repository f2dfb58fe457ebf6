import { Section } from '../../components/section.tsx';
import { ConnectionForm } from '../../features/connections/components/connection-form.tsx';
import { ConnectionList } from '../../features/connections/components/connection-list.tsx';
import { connectionsMessages } from '../../features/connections/connections.i18n.ts';
import { useT } from '../../lib/i18n.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Connections to outside OpenAI-compatible endpoints: list (never the keys), add, delete. Changes are for admins. */
export default function ConnectionsPage() {
  const t = useT(connectionsMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <Section title={t('add')} id="add-connection">
        <ConnectionForm />
      </Section>
      <Section title={t('stored')} id="connections">
        <ConnectionList />
      </Section>
    </>
  );
}
