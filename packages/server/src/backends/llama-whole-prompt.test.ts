import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoGgufPath } from '../../../../test-support/demo-gguf.ts';
import { wholePrompt } from './llamacpp-backend.ts';

type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;

const gguf = demoGgufPath();

describe.skipIf(!gguf)('a long prompt on the llamacpp backend (demo GGUF)', () => {
  let lib: NodeLlamaCpp;
  let llama: Llama;
  let model: LlamaModel;
  beforeAll(async () => {
    lib = await import('node-llama-cpp');
    llama = await lib.getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false, logLevel: lib.LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: gguf! });
  });
  afterAll(async () => {
    await model?.dispose();
    await llama?.dispose();
  });

  it('is read whole: the head of a prompt filling 93% of the context is not dropped', { timeout: 60_000 }, async () => {
    const context = await model.createContext({ contextSize: 1024, threads: 1 });
    try {
      const sequence = context.getSequence();
      const prompt = [...model.tokenize('Remember this. '), ...model.tokenize(' word'.repeat(950))].slice(0, 950);
      const read = async (options: object) => {
        await sequence.clearHistory();
        const completion = new lib.LlamaCompletion({ contextSequence: sequence });
        await completion.generateCompletion(prompt, { maxTokens: 4, temperature: 0, ...options });
        completion.dispose({ disposeSequence: false });
        return sequence.contextTokens.slice(0, prompt.length);
      };
      expect(await read(wholePrompt(4))).toEqual(prompt);
      // What the options prevent (node-llama-cpp's default keeps a tenth of the context free).
      expect((await read({})).slice(0, 3)).not.toEqual(prompt.slice(0, 3));
    } finally {
      await context.dispose();
    }
  });
});
