import { WhetError } from '@whetstone/core';

/**
 * Requests per minute per API key, as a token bucket refilled continuously: a key may burst
 * up to its limit, then gets 429 RATE_LIMITED with the seconds until a request is allowed.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  take(keyId: string, perMinute: number, now = Date.now()) {
    const b = this.buckets.get(keyId) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) / 60_000) * perMinute);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(keyId, b);
      const retry = Math.max(1, Math.ceil(((1 - b.tokens) * 60) / perMinute));
      throw new WhetError('RATE_LIMITED', `API key ${keyId} is limited to ${perMinute} requests a minute`, { details: { retry_after_s: retry } });
    }
    b.tokens -= 1;
    this.buckets.set(keyId, b);
  }
}
