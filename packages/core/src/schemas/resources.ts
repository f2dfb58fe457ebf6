import { z } from 'zod';

export const EXECUTORS = ['local', 'torchrun', 'ray'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];
export const STRATEGIES = ['ddp', 'fsdp'] as const;

/**
 * Where a job trains (the job body's `resources`). Every field is optional: what is left out comes
 * from the server's settings (WHET_EXECUTOR, WHET_PROCESSES_PER_NODE, ...), so a body without
 * `resources` trains as it always did, in one local process.
 */
export const ResourcesInputSchema = z
  .object({
    executor: z
      .enum(EXECUTORS)
      .optional()
      .describe('local: one worker process; torchrun: several processes through torch\'s elastic launcher (DDP or FSDP); ray: Ray Train\'s TorchTrainer on the server\'s Ray cluster (WHET_RAY_ADDRESS).'),
    nodes: z.number().int().min(1).max(256).optional().describe('Machines taking part (torchrun: WHET_TORCHRUN_HOSTS names them; ray: workers = nodes x processes_per_node, placed by Ray); 1 = this machine.'),
    processes_per_node: z.number().int().min(1).max(64).optional().describe('Worker processes on each node (torchrun, ray); usually one per GPU, on CPU at most one per core.'),
    gpus_per_process: z.number().int().min(0).max(8).optional().describe('0 trains on CPU (gloo); 1 gives each process a GPU (nccl).'),
    strategy: z
      .enum(STRATEGIES)
      .optional()
      .describe(
        'ddp: every process holds the whole model (CPU or GPU). fsdp: the model sharded across the processes (FSDP2 through the Hugging Face Trainer, one unit per decoder layer; rank 0 writes the whole result); needs gpus_per_process 1 and two processes or more, and is refused on CPU (accelerate runs no FSDP there) and with qlora, ptuning or prefix tuning.',
      ),
    shared_path: z
      .string()
      .min(1)
      .optional()
      .describe(
        'An absolute folder every node and the server see at this path (NFS, a cluster file system): the job\'s spec, training data, checkpoints and final model go to <shared_path>/<job id>/, where every rank writes and the server reads the result. Default: WHET_SHARED_PATH, else the server\'s state folder (WHET_HOME/jobs/<id>).',
      ),
  })
  .strict();
export type ResourcesInput = z.infer<typeof ResourcesInputSchema>;

/** The resources a job runs with, every field decided (the body's, else the server's setting). */
export const ResourcesSchema = z.object({
  executor: z.enum(EXECUTORS),
  nodes: z.number().int().min(1),
  processes_per_node: z.number().int().min(1),
  gpus_per_process: z.number().int().min(0),
  strategy: z.enum(STRATEGIES),
  shared_path: z.string().optional().describe('Where the job\'s files live when not in the server\'s state folder: <shared_path>/<job id>/.'),
});
export type Resources = z.infer<typeof ResourcesSchema>;
