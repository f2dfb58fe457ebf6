import { Section } from '../../components/section.tsx';
import { BrowserNotificationsSwitch } from '../../features/notifications/components/browser-notifications-switch.tsx';
import { WebhookForm } from '../../features/notifications/components/webhook-form.tsx';
import { notificationsMessages } from '../../features/notifications/notifications.i18n.ts';
import { useT } from '../../lib/i18n.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Notifications: the job-end webhook (admins) and this browser's notifications (anyone). */
export default function NotificationsPage() {
  const t = useT(notificationsMessages);
  useDocumentTitle(t('title'));
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <Section title={t('browser')} id="browser-notifications">
        <p className="muted">{t('browserIntro')}</p>
        <BrowserNotificationsSwitch />
      </Section>
      <Section title={t('webhook')} id="webhook">
        <p className="muted">{t('webhookIntro')}</p>
        <WebhookForm />
      </Section>
    </>
  );
}
