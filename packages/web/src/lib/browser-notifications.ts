import { useSyncExternalStore } from 'react';

/** Remembered per browser (not per tab): the person chose to be told when jobs end. */
const STORAGE_KEY = 'whet.notifications';
const listeners = new Set<() => void>();

export const notificationsSupported = () => typeof window !== 'undefined' && 'Notification' in window;

function read(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false; // storage disabled
  }
}

/** Turn job-end notifications on or off; on asks the browser's permission first and stays off when refused. Resolves to the outcome. */
export async function setBrowserNotifications(on: boolean): Promise<{ on: boolean; permission: NotificationPermission | 'unsupported' }> {
  if (!notificationsSupported()) return { on: false, permission: 'unsupported' };
  let permission = Notification.permission;
  if (on && permission !== 'granted') permission = await Notification.requestPermission();
  const enabled = on && permission === 'granted';
  try {
    localStorage.setItem(STORAGE_KEY, enabled ? 'on' : 'off');
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  listeners.forEach((l) => l());
  return { on: enabled, permission };
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => e.key === STORAGE_KEY && listener(); // another tab changed it
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** Whether job-end notifications are on in this browser (and still permitted). */
export function useBrowserNotifications(): boolean {
  return useSyncExternalStore(subscribe, () => read() && notificationsSupported() && Notification.permission === 'granted');
}
