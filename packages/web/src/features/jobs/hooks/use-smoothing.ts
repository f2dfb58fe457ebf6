import { useCallback, useState } from 'react';
import { MAX_SMOOTHING } from '../lib/ema-smooth.ts';

const KEY = 'whet.jobs.smoothing';
const DEFAULT = 0.6;

function stored(): number {
  try {
    const v = Number(sessionStorage.getItem(KEY) ?? DEFAULT);
    return Number.isFinite(v) && v >= 0 && v <= MAX_SMOOTHING ? v : DEFAULT;
  } catch {
    return DEFAULT; // storage disabled
  }
}

/** The loss smoothing weight, kept for the browser session so a reload (or another job) keeps it. */
export function useSmoothing(): [number, (weight: number) => void] {
  const [weight, setWeight] = useState(stored);
  const set = useCallback((w: number) => {
    setWeight(w);
    try {
      sessionStorage.setItem(KEY, String(w));
    } catch {
      // storage disabled: the setting lasts until the page closes
    }
  }, []);
  return [weight, set];
}
