import { WhetError } from '@whetstone/core';

/**
 * Perplexity from a mean token cross-entropy in nats (the trainer's eval_loss): exp(loss).
 * Infinity when the loss is too large for a double (above ~709.78).
 */
export function perplexity(evalLoss: number): number {
  if (!Number.isFinite(evalLoss) || evalLoss < 0) {
    throw new WhetError('INVALID_REQUEST', `perplexity needs a finite eval loss >= 0, got ${evalLoss}`, {
      hint: 'Pass the eval_loss the trainer reported (mean cross-entropy in nats); a NaN loss means the run diverged.',
    });
  }
  return Math.exp(evalLoss);
}
