import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { WhetError, type GenerateLine } from '@whetstone/core';
import { logger } from '../logger.ts';
import type { BackendRequest, GenerationBackend } from './generation-backend.ts';
import { ndjsonLines } from './ndjson-lines.ts';

export interface VllmBackendOptions {
  python: string;
  modelPath: string;
  /** LoRA adapters by the name requests use (`--lora-modules name=path`). */
  adapters?: Record<string, string>;
  quantization?: string | null;
  maxConcurrency?: number;
  startTimeoutMs?: number;
}

/**
 * Whether vLLM can run here: the `vllm` package in the worker's Python and a CUDA device.
 * Throws BACKEND_UNAVAILABLE naming what is missing; deployments call this on create.
 */
export function checkVllmAvailable(python: string): void {
  const probe = spawnSync(
    python,
    // torch is imported (seconds) only when vllm is there to need it
    ['-c', 'import importlib.util as u, json\nv = u.find_spec("vllm") is not None\nc = v and __import__("torch").cuda.is_available()\nprint(json.dumps({"vllm": v, "cuda": c}))'],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PYTHONWARNINGS: 'ignore' } },
  );
  let found: { vllm?: boolean; cuda?: boolean } = {};
  try {
    found = JSON.parse(probe.stdout.trim().split('\n').pop() ?? '{}');
  } catch {
    // no answer: treated as missing below
  }
  if (!found.vllm) {
    throw new WhetError('BACKEND_UNAVAILABLE', `the vllm backend needs the vllm Python package, which is not installed in ${python}`, {
      hint: 'On a CUDA machine run `.venv/bin/pip install vllm`; here, deploy with backend "torch" (batched, LoRA per request) or "llamacpp" (GGUF on CPU).',
    });
  }
  if (!found.cuda) {
    throw new WhetError('BACKEND_UNAVAILABLE', 'the vllm backend needs an NVIDIA GPU with CUDA, and torch sees none on this machine', {
      hint: 'Deploy with backend "torch" or "llamacpp" on this machine, or run the server on a GPU machine.',
    });
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });

/**
 * The `vllm` backend: vLLM's OpenAI server started with the adapters as LoRA modules, on a
 * loopback port, and proxied. Its SSE chunks are turned back into the protocol's lines so the
 * gateway formats every backend the same way. vLLM gets a random API key per start in
 * VLLM_API_KEY (its `--api-key` would show on the command line to every local user), so its
 * loopback port answers only this gateway.
 */
export function createVllmBackend(opts: VllmBackendOptions): GenerationBackend {
  let child: ChildProcess | null = null;
  let ready: Promise<string> | null = null;
  let headers: Record<string, string> = {};

  const start = () => {
    ready ??= (async () => {
      checkVllmAvailable(opts.python);
      const port = await freePort();
      const args = ['-m', 'vllm.entrypoints.openai.api_server', '--model', opts.modelPath, '--host', '127.0.0.1', '--port', String(port)];
      const loras = Object.entries(opts.adapters ?? {});
      if (loras.length) args.push('--enable-lora', '--lora-modules', ...loras.map(([n, p]) => `${n}=${p}`));
      if (opts.quantization && opts.quantization !== 'none') args.push('--quantization', opts.quantization);
      if (opts.maxConcurrency) args.push('--max-num-seqs', String(opts.maxConcurrency));
      const token = randomBytes(32).toString('hex');
      headers = { authorization: `Bearer ${token}` };
      child = spawn(opts.python, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, VLLM_API_KEY: token } });
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + (opts.startTimeoutMs ?? 600_000);
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new WhetError('BACKEND_UNAVAILABLE', `vLLM exited with code ${child.exitCode} while loading ${opts.modelPath}`);
        const ok = await fetch(`${url}/health`, { headers }).then((r) => r.ok, () => false);
        if (ok) {
          logger.info('vllm ready', { url, model: opts.modelPath });
          return url;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      child.kill('SIGKILL');
      throw new WhetError('BACKEND_UNAVAILABLE', `vLLM did not get ready in ${(opts.startTimeoutMs ?? 600_000) / 1000} s`);
    })().catch((e: unknown) => {
      ready = null;
      throw e;
    });
    return ready;
  };

  async function* stream(req: BackendRequest, signal: AbortSignal): AsyncGenerator<GenerateLine> {
    const url = await start();
    const chat = req.messages !== undefined;
    const body = {
      model: req.adapter ?? opts.modelPath,
      ...(chat ? { messages: req.messages } : { prompt: req.prompt }),
      max_tokens: req.max_tokens,
      temperature: req.temperature,
      top_p: req.top_p,
      top_k: req.top_k === 0 ? -1 : req.top_k,
      repetition_penalty: req.repetition_penalty,
      seed: req.seed ?? undefined,
      stop: req.stop.length ? req.stop : undefined,
      ignore_eos: req.ignore_eos || undefined, // vLLM's own sampling parameter
      // vLLM >= 0.12 (guided_choice, its older name, was removed then): the answer is exactly one choice.
      structured_outputs: req.labels?.length ? { choice: req.labels } : undefined,
      stream: true,
      stream_options: { include_usage: true },
    };
    const res = await fetch(`${url}/v1/${chat ? 'chat/completions' : 'completions'}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok || !res.body) {
      const text = await res.text();
      const code = /maximum context length/i.test(text) ? 'CONTEXT_LENGTH_EXCEEDED' : res.status === 404 ? 'ADAPTER_NOT_FOUND' : 'GENERATION_FAILED';
      throw new WhetError(code, `vLLM answered HTTP ${res.status}: ${text.slice(0, 500)}`);
    }
    yield { type: 'start', prompt_tokens: 0 }; // vLLM reports the count with the usage chunk
    let finish: 'stop' | 'length' = 'stop';
    for await (const line of ndjsonLines(res.body)) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') break;
      const chunk = JSON.parse(data) as {
        choices?: { delta?: { content?: string }; text?: string; finish_reason?: string | null }[];
        usage?: { prompt_tokens: number; completion_tokens: number } | null;
      };
      const choice = chunk.choices?.[0];
      const text = choice?.delta?.content ?? choice?.text;
      if (text) yield { type: 'delta', text };
      if (choice?.finish_reason) finish = choice.finish_reason === 'length' ? 'length' : 'stop';
      if (chunk.usage) {
        yield { type: 'done', finish_reason: finish, prompt_tokens: chunk.usage.prompt_tokens, completion_tokens: chunk.usage.completion_tokens };
        return;
      }
    }
    throw new WhetError('GENERATION_FAILED', 'vLLM closed the stream without usage');
  }

  return {
    specificationVersion: 'v1',
    backend: 'vllm',
    parallelism: opts.maxConcurrency ?? 64,
    load: async () => void (await start()),
    stream,
    async close() {
      ready = null;
      const c = child;
      child = null;
      if (c && c.exitCode === null) {
        c.kill('SIGTERM');
        await new Promise((r) => c.once('exit', r));
      }
    },
  };
}
