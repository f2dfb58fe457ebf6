import { useEffect, useState } from 'react';

const PREFIX = 'whet.playground.';

/**
 * A playground setting (mode, models, system prompt, sampling) kept for the browser session, so
 * a reload keeps the configuration; the conversation itself is not stored.
 */
export function useSessionSetting<T>(name: string, initial: T): [T, (v: T | ((old: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = sessionStorage.getItem(PREFIX + name);
      if (stored !== null) {
        const parsed = JSON.parse(stored) as unknown;
        if (typeof parsed === typeof initial && parsed !== null) return parsed as T;
      }
    } catch {
      // storage disabled or a stale value: the default
    }
    return initial;
  });
  useEffect(() => {
    try {
      sessionStorage.setItem(PREFIX + name, JSON.stringify(value));
    } catch {
      // storage disabled
    }
  }, [name, value]);
  return [value, setValue];
}
