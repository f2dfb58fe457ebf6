import { describe, expect, it } from 'vitest';
import { isWhetError, type WhetError } from '@whetstone/core';
import { estimateModelBytes, planEviction, type LoadedModel } from './pool-budget.ts';

const GB = 2 ** 30;
const limits = { maxLoadedModels: 3, memoryBytes: 10 * GB };
const model = (name: string, gb: number, lastUsed: number, busy = false): LoadedModel => ({ name, bytes: gb * GB, lastUsed, busy, typicalRequestS: 4.2 });
const refusal = (f: () => unknown): WhetError => {
  try {
    f();
  } catch (e) {
    if (isWhetError(e)) return e as WhetError;
    throw e;
  }
  throw new Error('expected CAPACITY_EXCEEDED, nothing was thrown');
};

describe('the on-demand model memory budget', () => {
  it('counts fp32 weights plus a quarter for activations and cache, or an equal share of the budget when the size is unknown', () => {
    expect(estimateModelBytes(135_000_000, limits)).toBe(135_000_000 * 4 * 1.25);
    expect(estimateModelBytes(null, limits)).toBe(Math.floor((10 * GB) / 3));
  });

  it('loads without evicting while both limits hold', () => {
    expect(planEviction([model('a', 3, 1), model('b', 3, 2)], { name: 'c', bytes: 4 * GB }, limits)).toEqual([]);
  });

  it('evicts the least recently used idle models, only as many as needed, never a busy one', () => {
    const [old, busyOld, recent] = [model('old', 3, 1), model('busy-old', 2, 0, true), model('recent', 3, 5)];
    // Count limit: three loaded, max three: the oldest idle one goes, the busy older one stays.
    expect(planEviction([recent, busyOld, old], { name: 'new', bytes: 1 * GB }, limits).map((m) => m.name)).toEqual(['old']);
    // Memory limit: 2 + 3 + 3 loaded, 6 more needed: both idle ones go (2 + 6 <= 10).
    expect(planEviction([recent, busyOld, old], { name: 'big', bytes: 6 * GB }, { maxLoadedModels: 9, memoryBytes: 10 * GB }).map((m) => m.name)).toEqual(['old', 'recent']);
  });

  it('refuses with 503, the numbers and Retry-After when only busy models could make room, evicting nothing', () => {
    const e = refusal(() => planEviction([model('idle', 1, 1), model('chat', 6, 2, true)], { name: 'big', bytes: 5 * GB }, limits));
    expect(e.code).toBe('CAPACITY_EXCEEDED');
    expect(e.status).toBe(503);
    expect(e.message).toBe('cannot load "big" (~5.0 GB): 2 of 3 models are loaded ("idle" ~1.0 GB, "chat" ~6.0 GB busy; 7.0 GB of the 10.0 GB budget) and 1 of them are busy with requests');
    expect(e.details).toMatchObject({ retry_after_s: 5, loaded_models: 2, max_loaded_models: 3 });
  });

  it('says when a model is larger than the whole budget, naming WHET_MODEL_MEMORY_GB, with no Retry-After', () => {
    const e = refusal(() => planEviction([], { name: 'huge', bytes: 12 * GB }, limits));
    expect(e.code).toBe('CAPACITY_EXCEEDED');
    expect(e.message).toMatch(/"huge" needs about 12\.0 GB .*more than the whole model memory budget of 10\.0 GB/);
    expect(e.hint).toMatch(/WHET_MODEL_MEMORY_GB/);
    expect(e.details).toBeUndefined();
  });
});
