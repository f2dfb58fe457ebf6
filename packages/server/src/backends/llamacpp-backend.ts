import { existsSync } from 'node:fs';
import { WhetError, type GenerateLine } from '@whetstone/core';
import type { LlamaGpu } from '../config.ts';
import type { BackendRequest, GenerationBackend } from './generation-backend.ts';
import { labelsGrammar } from './label-grammar.ts';
import { LeadingTextFilter, renderChat, renderCompletion, resolveGgufChatWrapper } from './llama-chat-prompt.ts';
import { endOfGenerationBan } from './llama-eog-ban.ts';
import { physicalCores } from './physical-cores.ts';
import { PushStream } from './push-stream.ts';
import { SequencePool } from './sequence-pool.ts';

type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;
type LlamaContext = Awaited<ReturnType<LlamaModel['createContext']>>;
type LlamaSequence = ReturnType<LlamaContext['getSequence']>;
type ChatWrapper = InstanceType<NodeLlamaCpp['ChatWrapper']>;
type LlamaGrammar = Awaited<ReturnType<Llama['createGrammar']>>;
type TokenBias = InstanceType<NodeLlamaCpp['TokenBias']>;

/** Requests decoded at once when the deployment does not say (its max_concurrency). */
export const DEFAULT_LLAMA_SEQUENCES = 4;
/** Each sequence gets the model's training context up to this many tokens... */
const SEQUENCE_CONTEXT_CAP = 8192;
/** ...while all sequences together hold at most this many in the KV cache (llama-server splits -c the same way)... */
const KV_CACHE_BUDGET = 16_384;
/** ...but never fewer than this per sequence. */
const SEQUENCE_CONTEXT_FLOOR = 2048;

/** Tokens of context each of `sequences` sequences gets: 8192 for 1-2, 4096 for 4, 2048 from 8. */
export function sequenceContextSize(trainContextSize: number, sequences: number) {
  return Math.min(trainContextSize, SEQUENCE_CONTEXT_CAP, Math.max(SEQUENCE_CONTEXT_FLOOR, Math.floor(KV_CACHE_BUDGET / sequences)));
}

export interface LlamaCppOptions {
  /** The .gguf file (f16, Q8_0, Q4_x, ...). */
  ggufPath: string;
  /** Decode threads; default the physical cores (llama.cpp's default oversubscribes small machines). */
  threads?: number;
  /** Requests decoded at once, each on its own sequence, batched into one llama.cpp decode (default 4). */
  sequences?: number;
  /** Tokens of context per sequence; default `sequenceContextSize(model's training context, sequences)`. */
  contextSize?: number;
  /** Where llama.cpp runs: off (the CPU, default), auto, cuda, vulkan or metal. */
  gpu?: LlamaGpu;
  /** Runs once before the first load when the file is missing (a deployment exports its GGUF). */
  prepare?: () => Promise<unknown>;
}

const runtimes = new Map<LlamaGpu, Promise<{ lib: NodeLlamaCpp; llama: Llama }>>();

/**
 * One llama.cpp runtime per process and GPU choice, from the prebuilt binaries npm installed,
 * never compiled or downloaded at run time. npm ci installs the CPU build only; the CUDA and
 * Vulkan builds come from `WHET_LLAMA_GPU=cuda npm run setup` (scripts/llama-gpu-binaries.mjs).
 */
function loadLlama(gpu: LlamaGpu) {
  let runtime = runtimes.get(gpu);
  if (!runtime) {
    runtime = (async () => {
      const lib = await import('node-llama-cpp');
      const llama = await lib.getLlama({ gpu: gpu === 'off' ? false : gpu, build: 'never', skipDownload: true, progressLogs: false, logLevel: lib.LlamaLogLevel.error });
      return { lib, llama };
    })().catch((e: unknown) => {
      runtimes.delete(gpu);
      throw new WhetError('BACKEND_UNAVAILABLE', `llama.cpp could not start${gpu === 'off' ? '' : ` with WHET_LLAMA_GPU=${gpu}`}: ${(e as Error).message ?? String(e)}`, {
        hint:
          gpu === 'off'
            ? 'Reinstall the prebuilt CPU binaries with `npm ci` (node-llama-cpp 3.21.1 and @node-llama-cpp/<platform>).'
            : `Install the ${gpu} build with \`WHET_LLAMA_GPU=${gpu} npm run setup\` (it needs the GPU's driver), or unset WHET_LLAMA_GPU to run on the CPU.`,
        cause: e,
      });
    });
    runtimes.set(gpu, runtime);
  }
  return runtime;
}

/**
 * GGUF models through node-llama-cpp: one context with `sequences` sequences. Each request
 * borrows a sequence from a pool and node-llama-cpp batches the tokens of all busy sequences
 * into one llama.cpp decode per step, so concurrent requests share the pass over the weights.
 * A returned sequence keeps its KV cache, and the next request with the same prefix (a chat's
 * earlier turns) reuses it. Chats are rendered with the file's own template (llama-chat-prompt.ts).
 */
export function createLlamaCppBackend(opts: LlamaCppOptions): GenerationBackend {
  const sequences = Math.max(1, opts.sequences ?? DEFAULT_LLAMA_SEQUENCES);
  type Loaded = {
    lib: NodeLlamaCpp;
    llama: Llama;
    model: LlamaModel;
    context: LlamaContext;
    chatWrapper: ChatWrapper;
    pool: SequencePool<LlamaSequence>;
    /** The bias that bans every end-of-generation token (ignore_eos), made on first use. */
    eogBan: () => TokenBias;
  };
  let loaded: Promise<Loaded> | null = null;
  // A deployment sends the same label set with every request: its grammar is parsed, and its
  // labels tokenized, once.
  type Constraint = { grammar: LlamaGrammar; longestLabelTokens: number };
  const constraints = new Map<string, Promise<Constraint>>();
  const constraintFor = (llama: Llama, model: LlamaModel, labels: string[]) => {
    const key = JSON.stringify(labels);
    let c = constraints.get(key);
    if (!c) {
      c = llama.createGrammar({ grammar: labelsGrammar(labels) }).then((grammar) => ({ grammar, longestLabelTokens: Math.max(...labels.map((l) => model.tokenize(l).length)) }));
      c.catch(() => constraints.delete(key));
      constraints.set(key, c);
      if (constraints.size > 32) constraints.delete(constraints.keys().next().value!);
    }
    return c;
  };

  const load = () => {
    loaded ??= (async () => {
      if (!existsSync(opts.ggufPath) && opts.prepare) await opts.prepare();
      if (!existsSync(opts.ggufPath)) throw new WhetError('GGUF_NOT_FOUND', `no GGUF file at ${opts.ggufPath}`);
      const { lib, llama } = await loadLlama(opts.gpu ?? 'off');
      const model = await llama.loadModel({ modelPath: opts.ggufPath });
      const contextSize = opts.contextSize ?? sequenceContextSize(model.trainContextSize, sequences);
      const context = await model.createContext({
        contextSize,
        sequences,
        threads: opts.threads ?? physicalCores(),
        // Every busy sequence gets its next tokens into the same decode, gathered once per event-loop turn.
        batching: { dispatchSchedule: 'nextCycle', itemPrioritizationStrategy: (o) => inSequenceOrder(o, context) },
      });
      const pool = new SequencePool(Array.from({ length: sequences }, () => context.getSequence()));
      let eogBan: TokenBias | undefined;
      return { lib, llama, model, context, chatWrapper: resolveGgufChatWrapper(lib, model), pool, eogBan: () => (eogBan ??= endOfGenerationBan(lib, model)) };
    })().catch((e: unknown) => {
      loaded = null;
      throw e;
    });
    return loaded;
  };

  async function* stream(req: BackendRequest, signal: AbortSignal): AsyncGenerator<GenerateLine> {
    const { lib, llama, model, context, chatWrapper, pool, eogBan } = await load();
    signal.throwIfAborted();
    const constraint = req.labels?.length ? await constraintFor(llama, model, req.labels) : undefined;
    const grammar = constraint?.grammar;
    const tokenBias = req.ignore_eos ? eogBan() : undefined;
    // Room for the longest label and its end, whatever max_tokens says: the answer is always a whole label.
    const maxTokens = constraint ? Math.max(req.max_tokens, constraint.longestLabelTokens + 1) : req.max_tokens;
    const chatPrompt = req.messages ? renderChat(lib, model, chatWrapper, req.messages) : null;
    const textPrompt = chatPrompt ? null : renderCompletion(lib, model, req.prompt ?? '');
    const prompt = chatPrompt ? chatPrompt.tokens : textPrompt!.tokens;
    const promptTokens = prompt.length;
    const contextLength = context.contextSize;
    if (promptTokens + maxTokens > contextLength) {
      throw new WhetError(
        'CONTEXT_LENGTH_EXCEEDED',
        `this model's maximum context length is ${contextLength} tokens, but ${promptTokens + maxTokens} were requested ` +
          `(${promptTokens} in the prompt, ${maxTokens} for the completion)`,
        { details: { prompt_tokens: promptTokens, max_tokens: maxTokens, context_length: contextLength } },
      );
    }
    let sequence = await pool.acquire(prompt, signal);
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    // A plain chat is generated as a completion of its rendered prompt: LlamaChat's per-token work
    // (segments, function calls) made it 15-20% slower at 2 threads on 2 cores (gguf-decode README).
    const chat = chatPrompt && !chatPrompt.plain ? new lib.LlamaChat({ contextSequence: sequence, chatWrapper }) : null;
    const completion = chat ? null : new lib.LlamaCompletion({ contextSequence: sequence });
    let failed = false;
    try {
      signal.throwIfAborted();
      yield { type: 'start', prompt_tokens: promptTokens };

      const out = new PushStream<GenerateLine>();
      let completionTokens = 0;
      const leading = chatPrompt?.plain ? new LeadingTextFilter(chatPrompt.plain.ignoreStart) : null;
      const delta = (text: string) => text && out.push({ type: 'delta', text });
      const common = {
        signal: stop.signal,
        stopOnAbortSignal: true,
        maxTokens,
        grammar,
        temperature: req.temperature,
        topK: req.top_k,
        topP: req.top_p,
        seed: req.seed ?? undefined,
        repeatPenalty: req.repetition_penalty === 1 ? (false as const) : { penalty: req.repetition_penalty },
        customStopTriggers: req.stop.length || chatPrompt?.plain ? [...req.stop, ...(chatPrompt?.plain?.stopTriggers ?? [])] : undefined,
        tokenBias,
        onTextChunk: (text: string) => delta(leading ? leading.push(text) : text),
        onToken: (tokens: unknown[]) => (completionTokens += tokens.length),
      };
      const run = chat
        ? chat.generateResponse(chatPrompt!.history, common).then((r) => r.metadata.stopReason)
        : completion!
            .generateCompletionWithMeta((chatPrompt?.plain ?? textPrompt)!.input, { ...common, ...wholePrompt(maxTokens) })
            .then((r) => r.metadata.stopReason);
      run.then(
        (reason) => {
          if (leading) delta(leading.end());
          out.push({
            type: 'done',
            finish_reason: reason === 'maxTokens' ? 'length' : 'stop',
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
          });
          out.end();
        },
        (e: unknown) => {
          failed = true;
          out.fail(e);
        },
      );
      try {
        for await (const line of out) yield line;
      } finally {
        stop.abort(); // the consumer left early: stop decoding now
        await run.catch(() => undefined);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      chat?.dispose({ disposeSequence: false });
      completion?.dispose({ disposeSequence: false });
      // A failed evaluation may leave the KV cache half-written: start that sequence empty.
      if (failed) sequence = await resetSequence(context, sequence);
      pool.release(sequence);
    }
  }

  return {
    specificationVersion: 'v1',
    backend: 'llamacpp',
    parallelism: sequences,
    load: async () => void (await load()),
    stream,
    async close() {
      const l = loaded;
      loaded = null;
      if (!l) return;
      const { model, context } = await l.catch(() => ({ model: null, context: null }));
      await context?.dispose();
      await model?.dispose();
    },
  };
}

/**
 * LlamaCompletion options that keep the whole prompt: by default it keeps a tenth of the context
 * free for the answer and silently drops the head of a longer prompt (1,900 tokens in a context
 * of 2,048 lost their first 57). The length check in `stream` already refuses what does not fit.
 */
export function wholePrompt(maxTokens: number) {
  return { contextShiftSize: maxTokens, disableContextShift: true } as const;
}

type BatchStrategyOptions = Parameters<Extract<NonNullable<NonNullable<Parameters<LlamaModel['createContext']>[0]>['batching']>['itemPrioritizationStrategy'], Function>>[0];
type BatchItem = BatchStrategyOptions['items'][number];

/**
 * Which pending tokens go into the next llama.cpp decode: every sequence a fair share of the
 * batch (node-llama-cpp's "maximumParallelism"), listed in ascending sequence id, so a batch's
 * layout stays the same from step to step. With node-llama-cpp 3.21.1 a helper saw concurrent
 * answers tangle (one continuing another's prompt) without this order and never with it; a
 * later check with the order reversed did not reproduce it, so treat it as a precaution. It
 * reads the sequence ids from the context's private pending-decode list (pinned version; the
 * concurrency test in llamacpp.e2e.test.ts checks each answer stays on its own prompt). Batched
 * answers may still differ from one-at-a-time answers at temperature 0: llama.cpp's kernels
 * round differently with the batch's shape (llama.cpp issue 7052).
 */
function inSequenceOrder({ items, size }: BatchStrategyOptions, context: LlamaContext) {
  const pending = (context as unknown as { _queuedDecodes?: { tokens: unknown; sequenceId: number }[] })._queuedDecodes;
  const idOf = (item: BatchItem) => (Array.isArray(pending) ? (pending.find((d) => d.tokens === item.tokens)?.sequenceId ?? 0) : 0);
  const ordered = [...items].sort((a, b) => idOf(a) - idOf(b));
  const share = Math.max(1, Math.floor(size / Math.max(1, ordered.length)));
  const out = ordered.map((item) => ({ item, processAmount: Math.min(item.tokens.length, share) }));
  let left = size - out.reduce((n, o) => n + o.processAmount, 0);
  for (const o of out) {
    const more = Math.min(o.item.tokens.length - o.processAmount, left);
    o.processAmount += more;
    left -= more;
  }
  // More sequences than batch slots: the later ones wait for the next decode.
  let room = size;
  return out.filter((o) => (room -= o.processAmount) >= 0);
}

/** Empty the sequence's KV cache, or swap it for a fresh sequence when that fails. */
async function resetSequence(context: LlamaContext, sequence: LlamaSequence): Promise<LlamaSequence> {
  try {
    await sequence.clearHistory();
    return sequence;
  } catch {
    await sequence.dispose().catch(() => undefined);
    return context.getSequence();
  }
}
