import { existsSync } from 'node:fs';
import { WhetError, type GenerateLine } from '@whetstone/core';
import type { BackendRequest, GenerationBackend } from './generation-backend.ts';
import { physicalCores } from './physical-cores.ts';
import { PushStream } from './push-stream.ts';

type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;
type LlamaContext = Awaited<ReturnType<LlamaModel['createContext']>>;

export interface LlamaCppOptions {
  /** The .gguf file (f16, Q8_0, Q4_x, ...). */
  ggufPath: string;
  /** Decode threads; default the physical cores (llama.cpp's default oversubscribes small machines). */
  threads?: number;
  /** Tokens of context; default the model's training context, at most 8192. */
  contextSize?: number;
  /** Runs once before the first load when the file is missing (a deployment exports its GGUF). */
  prepare?: () => Promise<unknown>;
}

let llamaPromise: Promise<{ lib: NodeLlamaCpp; llama: Llama }> | null = null;

/** One llama.cpp runtime per process, CPU build only, never compiled or downloaded at run time. */
function loadLlama() {
  llamaPromise ??= (async () => {
    const lib = await import('node-llama-cpp');
    const llama = await lib.getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false, logLevel: lib.LlamaLogLevel.error });
    return { lib, llama };
  })().catch((e: unknown) => {
    llamaPromise = null;
    throw new WhetError('BACKEND_UNAVAILABLE', `llama.cpp could not start: ${(e as Error).message ?? String(e)}`, {
      hint: 'Reinstall the prebuilt CPU binaries with `npm ci` (node-llama-cpp 3.21.1 and @node-llama-cpp/<platform>).',
      cause: e,
    });
  });
  return llamaPromise;
}

/**
 * GGUF models through node-llama-cpp: one context with one sequence, so requests run one at
 * a time (the deployment queue orders them) and a repeated chat prefix is reused from the
 * KV cache. The model's chat template is node-llama-cpp's resolved wrapper for it.
 */
export function createLlamaCppBackend(opts: LlamaCppOptions): GenerationBackend {
  let loaded: Promise<{ lib: NodeLlamaCpp; model: LlamaModel; context: LlamaContext }> | null = null;
  let busy: Promise<void> = Promise.resolve();

  const load = () => {
    loaded ??= (async () => {
      if (!existsSync(opts.ggufPath) && opts.prepare) await opts.prepare();
      if (!existsSync(opts.ggufPath)) throw new WhetError('GGUF_NOT_FOUND', `no GGUF file at ${opts.ggufPath}`);
      const { lib, llama } = await loadLlama();
      const model = await llama.loadModel({ modelPath: opts.ggufPath });
      const contextSize = opts.contextSize ?? Math.min(model.trainContextSize, 8192);
      const context = await model.createContext({ contextSize, threads: opts.threads ?? physicalCores(), sequences: 1 });
      return { lib, model, context };
    })().catch((e: unknown) => {
      loaded = null;
      throw e;
    });
    return loaded;
  };

  async function* stream(req: BackendRequest, signal: AbortSignal): AsyncGenerator<GenerateLine> {
    const { lib, model, context } = await load();
    // One sequence: wait for the previous request to finish with it.
    const previous = busy;
    let release!: () => void;
    busy = new Promise((r) => (release = r));
    await previous;
    const sequence = context.getSequence();
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const chat = req.messages ? new lib.LlamaChat({ contextSequence: sequence }) : null;
    const completion = req.messages ? null : new lib.LlamaCompletion({ contextSequence: sequence });
    try {
      signal.throwIfAborted();
      const history = req.messages ? toHistory(req.messages) : null;
      const promptTokens = chat
        ? chat.chatWrapper.generateContextState({ chatHistory: history! }).contextText.tokenize(model.tokenizer).length
        : model.tokenize(req.prompt ?? '').length + 1; // + BOS
      const contextLength = context.contextSize;
      if (promptTokens + req.max_tokens > contextLength) {
        throw new WhetError(
          'CONTEXT_LENGTH_EXCEEDED',
          `this model's maximum context length is ${contextLength} tokens, but ${promptTokens + req.max_tokens} were requested ` +
            `(${promptTokens} in the prompt, ${req.max_tokens} for the completion)`,
          { details: { prompt_tokens: promptTokens, max_tokens: req.max_tokens, context_length: contextLength } },
        );
      }
      yield { type: 'start', prompt_tokens: promptTokens };

      const out = new PushStream<GenerateLine>();
      let completionTokens = 0;
      const common = {
        signal: stop.signal,
        stopOnAbortSignal: true,
        maxTokens: req.max_tokens,
        temperature: req.temperature,
        topK: req.top_k,
        topP: req.top_p,
        seed: req.seed ?? undefined,
        repeatPenalty: req.repetition_penalty === 1 ? (false as const) : { penalty: req.repetition_penalty },
        customStopTriggers: req.stop.length ? req.stop : undefined,
        onTextChunk: (text: string) => text && out.push({ type: 'delta', text }),
        onToken: (tokens: unknown[]) => (completionTokens += tokens.length),
      };
      const run = chat
        ? chat.generateResponse(history!, common).then((r) => r.metadata.stopReason)
        : completion!.generateCompletionWithMeta(req.prompt ?? '', common).then((r) => r.metadata.stopReason);
      run.then(
        (reason) => {
          out.push({
            type: 'done',
            finish_reason: reason === 'maxTokens' ? 'length' : 'stop',
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
          });
          out.end();
        },
        (e: unknown) => out.fail(e),
      );
      try {
        for await (const line of out) yield line;
      } finally {
        stop.abort(); // the consumer left early: stop decoding now
        await run.catch(() => undefined);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      chat?.dispose();
      completion?.dispose();
      sequence.dispose();
      release();
    }
  }

  return {
    specificationVersion: 'v1',
    backend: 'llamacpp',
    parallelism: 1,
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

type Message = NonNullable<BackendRequest['messages']>[number];

function toHistory(messages: Message[]) {
  const items = messages.map((m) =>
    m.role === 'assistant' ? { type: 'model' as const, response: [m.content] } : { type: m.role, text: m.content },
  );
  return [...items, { type: 'model' as const, response: [] as string[] }] as Parameters<InstanceType<NodeLlamaCpp['LlamaChat']>['generateResponse']>[0];
}
