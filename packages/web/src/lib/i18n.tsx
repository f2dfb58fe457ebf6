import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** The console speaks English and Chinese; every string lives beside the feature that shows it. */
export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'whet.locale';

/**
 * A feature's strings in both languages. The Chinese table must have exactly the English keys
 * (the compiler says which one is missing). `{name}` marks a value filled in by `t`.
 */
export function defineMessages<const E extends Record<string, string>>(messages: { en: E; zh: { [K in keyof E]: string } }) {
  return messages as { en: E; zh: Record<keyof E, string> };
}
export type Messages<K extends string = string> = { en: Record<K, string>; zh: Record<K, string> };

/** The browser's preferred language decides the first locale: any zh-* is Chinese, else English. */
export function browserLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const l of languages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}

function initialLocale(): Locale {
  try {
    const chosen = sessionStorage.getItem(STORAGE_KEY);
    if (chosen === 'en' || chosen === 'zh') return chosen;
  } catch {
    // storage disabled
  }
  return browserLocale();
}

interface LocaleContextValue {
  locale: Locale;
  setLocale(locale: Locale): void;
}
const LocaleContext = createContext<LocaleContextValue | null>(null);

/** Holds the locale; a choice made in the header lasts for the browser session. */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  }, [locale]);
  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    try {
      sessionStorage.setItem(STORAGE_KEY, l);
    } catch {
      // storage disabled
    }
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleContextValue {
  const v = useContext(LocaleContext);
  if (!v) throw new Error('useLocale outside LocaleProvider');
  return v;
}

export type Vars = Record<string, string | number>;

/** Fill `{name}` placeholders; numbers are formatted for the locale. */
export function format(template: string, vars: Vars | undefined, locale: Locale): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? v.toLocaleString(locale === 'zh' ? 'zh-CN' : 'en') : v;
  });
}

/** `t(key, vars)` over one feature's messages, in the current locale. */
export function useT<K extends string>(messages: Messages<K>): (key: K, vars?: Vars) => string {
  const { locale } = useLocale();
  return useCallback((key: K, vars?: Vars) => format(messages[locale][key], vars, locale), [messages, locale]);
}
