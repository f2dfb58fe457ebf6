import type { BackendName, ServeDtype } from '@whetstone/core';
import type { LlamaGpu } from '../config.ts';
import type { GenerationBackend } from './generation-backend.ts';
import { createLlamaCppBackend } from './llamacpp-backend.ts';
import { createTorchBackend } from './torch-backend.ts';
import { createVllmBackend } from './vllm-backend.ts';

export interface BackendSpec {
  backend: BackendName;
  /** HF folder (torch, vllm) or .gguf file (llamacpp). */
  weightsPath: string;
  adapters: Record<string, string>;
  quantization: string;
  maxConcurrency: number;
  /** torch: the compute dtype (default auto). */
  dtype?: ServeDtype;
  /** Folder for the backend's own files (the torch worker's spec.json). */
  stateDir: string;
  python: string;
  workerDir: string;
  idleTimeoutMs: number | null;
  /** llamacpp decode threads (null: physical cores). */
  threads?: number | null;
  /** llamacpp: where llama.cpp runs (WHET_LLAMA_GPU; default the CPU). */
  gpu?: LlamaGpu;
  /** llamacpp: makes the .gguf file when it does not exist yet (an export). */
  prepare?: () => Promise<unknown>;
}

/** The one place a backend name becomes an implementation. */
export function createBackend(spec: BackendSpec): GenerationBackend {
  switch (spec.backend) {
    case 'llamacpp':
      return createLlamaCppBackend({ ggufPath: spec.weightsPath, sequences: spec.maxConcurrency, threads: spec.threads ?? undefined, gpu: spec.gpu, prepare: spec.prepare });
    case 'vllm':
      return createVllmBackend({ python: spec.python, modelPath: spec.weightsPath, adapters: spec.adapters, quantization: spec.quantization, maxConcurrency: spec.maxConcurrency });
    case 'torch':
      return createTorchBackend({
        python: spec.python,
        workerDir: spec.workerDir,
        stateDir: spec.stateDir,
        modelPath: spec.weightsPath,
        adapters: spec.adapters,
        maxBatchSize: spec.maxConcurrency,
        dtype: spec.dtype,
        idleTimeoutMs: spec.idleTimeoutMs,
      });
  }
}
