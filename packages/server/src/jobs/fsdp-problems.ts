import type { Resources, Tuning } from '@whetstone/core';
import type { Problem } from './resolve-resources.ts';

/**
 * Why a job cannot train with strategy "fsdp" (the worker's components/fsdp.py), each with its fix:
 * on CPU, the libraries skip or refuse FSDP (checked with two gloo ranks, accelerate 1.15 and
 * transformers 5.24); one process has nothing to shard across; and the tunings the worker does not
 * shard (4-bit weights, prompt learning). An empty list: FSDP on CUDA, which the Trainer runs.
 */
export function fsdpProblems(r: Resources, tuning: Tuning | undefined): Problem[] {
  const problems: Problem[] = [];
  const problem = (field: string, message: string, hint: string) => problems.push({ code: 'INVALID_REQUEST', field, message, hint });
  const processes = r.nodes * r.processes_per_node;
  if (r.gpus_per_process === 0) {
    problem(
      'resources.strategy',
      'strategy "fsdp" on CPU (gpus_per_process 0): FSDP through the Hugging Face Trainer needs a GPU. accelerate refuses FSDP1 on CPU ' +
        '("There are currently no available devices found, must be one of \'XPU\', \'CUDA\', \'MLU\', \'NPU\', \'MUSA\', or \'HPU\'.") ' +
        'and turns FSDP2 on only for GPU-like distributed types, so on CPU every process would silently hold and train the whole model, as under DDP',
      'Use strategy "ddp" on CPU (the same loss curve, the whole model in each process), or gpus_per_process 1 on a machine with CUDA GPUs.',
    );
  }
  if (processes === 1) {
    problem(
      'resources.strategy',
      'strategy "fsdp" shards the model across processes, and this job runs one (transformers: "Using fsdp only works in distributed training.")',
      'Use executor "torchrun" with processes_per_node 2 or more (one a GPU), or leave strategy out.',
    );
  }
  if (tuning === 'qlora') {
    problem(
      'resources.strategy',
      'strategy "fsdp" with tuning "qlora": bitsandbytes stores the 4-bit weights as uint8, which FSDP2 cannot shard (accelerate leaves them out: "Excluding from FSDP2 sharding to prevent quant_state corruption"), so every GPU would hold the whole base',
      'Use strategy "ddp" with qlora (the 4-bit base is a quarter of its bf16 size), or tuning "lora" with fsdp.',
    );
  }
  if (tuning === 'ptuning' || tuning === 'prefix') {
    const why =
      tuning === 'ptuning'
        ? 'the worker saves and restores the prompt encoder from the module\'s own weights (components/ptuning_state.py), which under FSDP are this process\'s shard'
        : 'the prefix reaches every layer as a key/value cache, which the activation checkpointing FSDP runs with drops (why the worker keeps checkpointing off for prefix tuning)';
    problem('resources.strategy', `strategy "fsdp" with tuning "${tuning}": ${why}`, `Use strategy "ddp" for ${tuning} (only its virtual tokens train), or tuning "lora" with fsdp.`);
  }
  return problems;
}
