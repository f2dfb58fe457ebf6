import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWhetError, type Resources } from '@whetstone/core';
import { loadConfig } from '../config.ts';
import { checkFitsProcesses, resolveResources } from './resolve-resources.ts';

const LOCAL: Resources = { executor: 'local', nodes: 1, processes_per_node: 1, gpus_per_process: 0, strategy: 'ddp' };

function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (isWhetError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('resolveResources', () => {
  it('takes every field left out from the server settings: a plain body trains in one local process', () => {
    expect(resolveResources(undefined, LOCAL)).toEqual(LOCAL);
    expect(resolveResources({}, { ...LOCAL, executor: 'torchrun', processes_per_node: 4 })).toEqual({ ...LOCAL, executor: 'torchrun', processes_per_node: 4 });
  });

  it('gives torchrun two processes when the body names it on a local server', () => {
    expect(resolveResources({ executor: 'torchrun' }, LOCAL)).toEqual({ ...LOCAL, executor: 'torchrun', processes_per_node: 2 });
    expect(resolveResources({ executor: 'torchrun', processes_per_node: 3 }, LOCAL).processes_per_node).toBe(3);
  });

  it('refuses several processes on the local executor, naming the field and the fix', () => {
    const e = refusal(() => resolveResources({ processes_per_node: 2 }, LOCAL));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.field).toBe('resources.processes_per_node');
    expect(e.hint).toMatch(/executor "torchrun"/);
  });

  it('refuses FSDP on CPU quoting the library guard and naming ddp, and reports every problem at once', () => {
    const e = refusal(() => resolveResources({ executor: 'torchrun', strategy: 'fsdp', gpus_per_process: 2 }, LOCAL));
    expect(e.message).toMatch(/resources.gpus_per_process: each worker process drives one GPU/);
    const cpu = refusal(() => resolveResources({ executor: 'torchrun', strategy: 'fsdp' }, LOCAL, { tuning: 'lora' }));
    expect(cpu).toMatchObject({ code: 'INVALID_REQUEST', field: 'resources.strategy' });
    expect(cpu.message).toMatch(/strategy "fsdp" on CPU \(gpus_per_process 0\).*"There are currently no available devices found, must be one of 'XPU', 'CUDA'/);
    expect(cpu.message).toMatch(/silently hold and train the whole model, as under DDP/);
    expect(cpu.hint).toMatch(/Use strategy "ddp" on CPU/);
    expect(cpu.details).toHaveLength(1);
  });

  it('takes FSDP on GPUs for the tunings it shards, and refuses one process, 4-bit and prompt-learning tunings with their reasons', () => {
    const gpus = { executor: 'torchrun', strategy: 'fsdp', gpus_per_process: 1 } as const;
    for (const tuning of ['lora', 'dora', 'full', 'freeze'] as const) {
      expect(resolveResources(gpus, LOCAL, { tuning })).toEqual({ ...LOCAL, executor: 'torchrun', processes_per_node: 2, gpus_per_process: 1, strategy: 'fsdp' });
    }
    const one = refusal(() => resolveResources({ ...gpus, processes_per_node: 1 }, LOCAL, { tuning: 'lora' }));
    expect(one.message).toMatch(/this job runs one \(transformers: "Using fsdp only works in distributed training\."\)/);
    const qlora = refusal(() => resolveResources(gpus, LOCAL, { tuning: 'qlora' }));
    expect(qlora.message).toMatch(/tuning "qlora": .*uint8, which FSDP2 cannot shard/);
    expect(qlora.hint).toMatch(/strategy "ddp" with qlora/);
    for (const tuning of ['ptuning', 'prefix'] as const) {
      const e = refusal(() => resolveResources(gpus, LOCAL, { tuning }));
      expect(e).toMatchObject({ field: 'resources.strategy', message: expect.stringContaining(`strategy "fsdp" with tuning "${tuning}"`) });
    }
    // A server default of fsdp applies to jobs of several processes; a one-process job trains as ever.
    expect(resolveResources(undefined, { ...LOCAL, strategy: 'fsdp' }).strategy).toBe('ddp');
  });
});

describe('checkFitsProcesses', () => {
  it('refuses a global batch that does not split evenly over the processes, naming multiples that do', () => {
    const e = refusal(() => checkFitsProcesses({ ...LOCAL, executor: 'torchrun', processes_per_node: 2 }, 3));
    expect(e).toMatchObject({ code: 'INVALID_HYPERPARAMETER', field: 'hyperparameters.batch_size' });
    expect(e.message).toMatch(/batch_size 3 does not split evenly over 2 processes/);
    expect(e.hint).toMatch(/multiple of 2, e\.g\. 2 or 4/);
    expect(() => checkFitsProcesses({ ...LOCAL, executor: 'torchrun', nodes: 2, processes_per_node: 2 }, 8)).not.toThrow();
    expect(() => checkFitsProcesses(LOCAL, 3)).not.toThrow(); // one process takes any batch
  });
});

describe('resolveResources: clusters', () => {
  it('refuses Ray without a cluster address, and several torchrun nodes without their addresses, naming the setting', () => {
    const ray = refusal(() => resolveResources({ executor: 'ray' }, LOCAL));
    expect(ray).toMatchObject({ code: 'EXECUTOR_UNAVAILABLE', field: 'resources.executor' });
    expect(ray.hint).toMatch(/WHET_RAY_ADDRESS/);
    expect(resolveResources({ executor: 'ray' }, LOCAL, { rayAddress: '127.0.0.1:6379' })).toMatchObject({ executor: 'ray', processes_per_node: 2 });
    const nodes = refusal(() => resolveResources({ executor: 'torchrun', nodes: 2 }, LOCAL, { torchrunHosts: ['10.0.0.1'] }));
    expect(nodes.message).toMatch(/needs 2 node addresses; WHET_TORCHRUN_HOSTS names 1 \(10\.0\.0\.1\)/);
    expect(resolveResources({ executor: 'torchrun', nodes: 2 }, LOCAL, { torchrunHosts: ['10.0.0.1', '10.0.0.2'] }).nodes).toBe(2);
  });
});

describe('loadConfig resources', () => {
  it('reads WHET_EXECUTOR and WHET_PROCESSES_PER_NODE, and refuses an unknown executor with the allowed ones', () => {
    const c = loadConfig({ WHET_EXECUTOR: 'torchrun', WHET_PROCESSES_PER_NODE: '2' });
    expect(c.resources).toEqual({ ...LOCAL, executor: 'torchrun', processes_per_node: 2 });
    expect(() => loadConfig({ WHET_EXECUTOR: 'slurm' })).toThrow(/WHET_EXECUTOR must be one of local, torchrun, ray, got "slurm"/);
  });
});

describe('resolveResources: shared_path', () => {
  it('takes an absolute existing folder (or WHET_SHARED_PATH), and refuses any other with the field and the fix', () => {
    const folder = mkdtempSync(join(tmpdir(), 'whet-shared-'));
    try {
      expect(resolveResources({ executor: 'torchrun', shared_path: folder }, LOCAL).shared_path).toBe(folder);
      expect(resolveResources({}, { ...LOCAL, shared_path: folder }).shared_path).toBe(folder);
      expect(resolveResources({}, LOCAL)).not.toHaveProperty('shared_path');
      expect(loadConfig({ WHET_SHARED_PATH: folder }).resources.shared_path).toBe(folder);
      const file = join(folder, 'a-file');
      writeFileSync(file, '');
      for (const [path, message, hint] of [
        ['shared', /must be an absolute path, the same on every node; got "shared"/, /absolute path as every node mounts it/],
        [join(folder, 'missing'), /does not exist on the server/, /Create the folder/],
        [file, /is a file, not a folder/, /Name the folder/],
      ] as const) {
        const e = refusal(() => resolveResources({ executor: 'torchrun', shared_path: path }, LOCAL));
        expect(e).toMatchObject({ code: 'INVALID_REQUEST', field: 'resources.shared_path' });
        expect(e.message).toMatch(message);
        expect(e.hint).toMatch(hint);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
