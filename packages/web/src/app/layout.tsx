import type { ReactNode } from 'react';
import { paths } from '../config/paths.ts';
import { useJobFinishNotifications } from '../features/jobs/hooks/use-job-finish-notifications.ts';
import { LOCALES, useLocale, useT, type Locale } from '../lib/i18n.tsx';
import { Link, usePathname } from '../lib/router.tsx';
import { appMessages } from './app.i18n.ts';

/** Each language named in itself, so a reader finds theirs whatever the page shows. */
const LANGUAGE_NAMES: Record<Locale, { name: string; lang: string }> = { en: { name: 'English', lang: 'en' }, zh: { name: '中文', lang: 'zh-CN' } };

/** Header (brand, navigation, language switch) and the page's main landmark. */
export function Layout({ children }: { children: ReactNode }) {
  const t = useT(appMessages);
  const pathname = usePathname();
  useJobFinishNotifications(); // while any page is open
  const nav = [
    { href: paths.overview(), label: t('overview'), current: pathname === '/' || (pathname.startsWith('/jobs/') && pathname !== paths.newJob()) },
    { href: paths.newJob(), label: t('newJob'), current: pathname === paths.newJob() },
    { href: paths.data(), label: t('data'), current: pathname.startsWith('/data') },
    { href: paths.models(), label: t('models'), current: pathname.startsWith('/models') },
    { href: paths.evaluations(), label: t('evaluations'), current: pathname.startsWith('/evaluations') },
    { href: paths.benchmarks(), label: t('benchmarks'), current: pathname.startsWith('/benchmarks') },
    { href: paths.playground(), label: t('playground'), current: pathname.startsWith('/playground') },
    { href: paths.keys(), label: t('keys'), current: pathname.startsWith('/settings/keys') },
    { href: paths.notifications(), label: t('notifications'), current: pathname.startsWith('/settings/notifications') },
    { href: paths.connections(), label: t('connections'), current: pathname.startsWith('/settings/connections') },
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skip')}
      </a>
      <header className="header">
        <Link href={paths.overview()} className="brand" translate="no">
          Whetstone
        </Link>
        <nav aria-label={t('nav')}>
          <ul>
            {nav.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={n.current ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function LanguageSwitch() {
  const t = useT(appMessages);
  const { locale, setLocale } = useLocale();
  return (
    <div className="lang-switch" role="group" aria-label={t('language')}>
      {LOCALES.map((l) => (
        <button key={l} type="button" lang={LANGUAGE_NAMES[l].lang} aria-pressed={locale === l} onClick={() => setLocale(l)} translate="no" data-locale={l}>
          {LANGUAGE_NAMES[l].name}
        </button>
      ))}
    </div>
  );
}
