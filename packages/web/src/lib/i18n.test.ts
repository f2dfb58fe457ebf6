import { describe, expect, it } from 'vitest';
import { browserLocale, defineMessages, format } from './i18n.tsx';

describe('i18n', () => {
  it('picks Chinese for any zh-* browser language, else English', () => {
    expect(browserLocale(['zh-CN', 'en'])).toBe('zh');
    expect(browserLocale(['zh-TW'])).toBe('zh');
    expect(browserLocale(['en-GB', 'zh-CN'])).toBe('en');
    expect(browserLocale(['fr-FR', 'zh'])).toBe('zh');
    expect(browserLocale(['fr-FR'])).toBe('en');
    expect(browserLocale([])).toBe('en');
  });

  it('fills placeholders, formatting numbers for the locale', () => {
    expect(format('Step {step} of {total}', { step: 1200, total: 5000 }, 'en')).toBe('Step 1,200 of 5,000');
    expect(format('第 {step} 步', { step: 3 }, 'zh')).toBe('第 3 步');
    expect(format('{missing} stays', {}, 'en')).toBe('{missing} stays');
  });

  it('requires the Chinese table to have exactly the English keys', () => {
    const m = defineMessages({ en: { a: 'A' }, zh: { a: '甲' } });
    expect(m.zh.a).toBe('甲');
    // @ts-expect-error: a key missing in Chinese does not compile
    defineMessages({ en: { a: 'A', b: 'B' }, zh: { a: '甲' } });
  });
});
