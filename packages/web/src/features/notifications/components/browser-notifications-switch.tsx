import { useId, useState } from 'react';
import { notificationsSupported, setBrowserNotifications, useBrowserNotifications } from '../../../lib/browser-notifications.ts';
import { useT } from '../../../lib/i18n.tsx';
import { notificationsMessages } from '../notifications.i18n.ts';

/** On asks the browser's permission; a refusal says how to allow it. The choice is kept in localStorage. */
export function BrowserNotificationsSwitch() {
  const t = useT(notificationsMessages);
  const on = useBrowserNotifications();
  const [denied, setDenied] = useState(false);
  const [pending, setPending] = useState(false);
  const id = useId();
  if (!notificationsSupported()) return <p className="muted">{t('browserUnsupported')}</p>;
  const toggle = async () => {
    setPending(true);
    const r = await setBrowserNotifications(!on);
    setDenied(!on && !r.on);
    setPending(false);
  };
  return (
    <>
      <label className="switch" htmlFor={id}>
        <input id={id} type="checkbox" role="switch" checked={on} disabled={pending} onChange={() => void toggle()} aria-describedby={denied ? `${id}-denied` : undefined} />
        <span>{t('browserSwitch')}</span>
      </label>
      {denied && (
        <p id={`${id}-denied`} className="warning" role="alert">
          {t('browserDenied')}
        </p>
      )}
    </>
  );
}
