/**
 * The API key, when the server asks for one: kept in sessionStorage only (gone when the tab
 * closes), asked for once through the key dialog, and shared by every request of the tab.
 */
const STORAGE_KEY = 'whet.apiKey';

export type KeyRequestReason = 'missing' | 'rejected';
interface PendingRequest {
  reason: KeyRequestReason;
  promise: Promise<string | null>;
  resolve: (key: string | null) => void;
}

let pending: PendingRequest | null = null;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

export function getApiKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the key lives only as long as the request that asked
  }
}

function setApiKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled
  }
}

/**
 * Ask the person for a key (the server answered 401). Concurrent requests share one dialog;
 * resolves with the key entered, or null when the dialog was dismissed.
 */
export function requestApiKey(reason: KeyRequestReason): Promise<string | null> {
  if (pending) return pending.promise;
  let resolve!: (key: string | null) => void;
  const promise = new Promise<string | null>((r) => (resolve = r));
  pending = { reason, promise, resolve };
  notify();
  return promise;
}

/** The dialog's answer: a key to store and retry with, or null to give up. */
export function answerApiKeyRequest(key: string | null): void {
  const p = pending;
  if (!p) return;
  pending = null;
  if (key) setApiKey(key);
  p.resolve(key);
  notify();
}

/** For useSyncExternalStore: the reason the dialog is open, or null when it is closed. */
export function subscribeApiKeyRequest(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export function currentApiKeyRequest(): KeyRequestReason | null {
  return pending?.reason ?? null;
}
