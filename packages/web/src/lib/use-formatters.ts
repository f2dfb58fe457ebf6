import { useMemo } from 'react';
import { useLocale, type Locale } from './i18n.tsx';

const tag = (l: Locale) => (l === 'zh' ? 'zh-CN' : 'en');

/** Numbers, sizes, durations and times in the console's locale. */
export function useFormatters() {
  const { locale } = useLocale();
  return useMemo(() => {
    const lang = tag(locale);
    const compact = new Intl.NumberFormat(lang, { notation: 'compact', maximumFractionDigits: 1 });
    const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    const units = locale === 'zh' ? { h: '小时', m: '分', s: '秒' } : { h: 'h', m: 'min', s: 's' };
    return {
      /** A count or measure with at most `digits` decimals. */
      number: (v: number, digits = 0) => v.toLocaleString(lang, { maximumFractionDigits: digits }),
      /** A loss or learning rate: 4 significant digits, scientific when tiny. */
      metric: (v: number) => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toLocaleString(lang, { maximumSignificantDigits: 4 })),
      /** 135M, 1.2B parameters. */
      compact: (v: number) => compact.format(v),
      bytes: (v: number) => {
        const u = ['B', 'KB', 'MB', 'GB', 'TB'];
        let i = 0;
        while (v >= 1024 && i < u.length - 1) {
          v /= 1024;
          i++;
        }
        return `${v.toLocaleString(lang, { maximumFractionDigits: i ? 1 : 0 })} ${u[i]}`;
      },
      /** 1 h 5 min / 1小时5分. */
      duration: (seconds: number) => {
        const s = Math.max(0, Math.round(seconds));
        const parts: [number, string][] = [
          [Math.floor(s / 3600), units.h],
          [Math.floor((s % 3600) / 60), units.m],
          [s % 60, units.s],
        ];
        const idx = parts.findIndex(([n]) => n > 0);
        const first = idx < 0 ? parts.length - 1 : idx;
        const shown = parts.slice(first, Math.min(first + 2, parts.length)).filter(([n], i) => i === 0 || n > 0);
        return shown.map(([n, u]) => (locale === 'zh' ? `${n}${u}` : `${n} ${u}`)).join(locale === 'zh' ? '' : ' ');
      },
      dateTime: (iso: string) => dateTime.format(new Date(iso)),
    };
  }, [locale]);
}
