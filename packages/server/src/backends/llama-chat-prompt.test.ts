import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoGgufPath } from '../../../../test-support/demo-gguf.ts';
import { LeadingTextFilter, renderChat, renderCompletion, resolveGgufChatWrapper } from './llama-chat-prompt.ts';
import { wholePrompt } from './llamacpp-backend.ts';

type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;

const gguf = demoGgufPath();
// SmolLM2-Instruct's own template (tokenizer_config.json, and the GGUF's tokenizer.chat_template).
const DEFAULT_SYSTEM = '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n';

describe.skipIf(!gguf)("a GGUF deployment's prompt (demo GGUF)", () => {
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

  it("renders the file's own template, as Hugging Face does: its default system prompt, one <|im_start|>", () => {
    const wrapper = resolveGgufChatWrapper(lib, model);
    const text = (messages: Parameters<typeof renderChat>[3]) => model.detokenize(renderChat(lib, model, wrapper, messages).tokens, true);
    expect(text([{ role: 'user', content: 'Hi?' }])).toBe(`${DEFAULT_SYSTEM}<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\n`);
    expect(
      text([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi?' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Bye?' },
      ]),
    ).toBe('<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nBye?<|im_end|>\n<|im_start|>assistant\n');
  });

  it('a plain chat is a completion of exactly the rendered tokens, answering as LlamaChat does', { timeout: 60_000 }, async () => {
    const wrapper = resolveGgufChatWrapper(lib, model);
    const messages = [{ role: 'user' as const, content: 'What is the capital of France? Answer in one sentence.' }];
    const rendered = renderChat(lib, model, wrapper, messages);
    expect(rendered.plain).not.toBeNull();
    expect(rendered.plain!.input).toEqual(rendered.tokens); // this file asks for no BOS of its own
    const context = await model.createContext({ contextSize: 1024, threads: 1 });
    try {
      const sequence = context.getSequence();
      const chat = new lib.LlamaChat({ contextSequence: sequence, chatWrapper: wrapper });
      const byChat = await chat.generateResponse(rendered.history, { maxTokens: 40, temperature: 0 });
      chat.dispose({ disposeSequence: false });
      await sequence.clearHistory();
      const completion = new lib.LlamaCompletion({ contextSequence: sequence });
      const leading = new LeadingTextFilter(rendered.plain!.ignoreStart);
      let streamed = '';
      const byCompletion = await completion.generateCompletionWithMeta(rendered.plain!.input, {
        maxTokens: 40,
        temperature: 0,
        customStopTriggers: rendered.plain!.stopTriggers,
        onTextChunk: (text) => (streamed += leading.push(text)),
      });
      streamed += leading.end();
      completion.dispose({ disposeSequence: false });
      expect(streamed).toBe(byChat.response);
      expect(streamed).toMatch(/Paris/);
      expect(byCompletion.response).not.toMatch(/<\|im_end\|>|<\|im_start\|>/);
      expect([byChat.metadata.stopReason, byCompletion.metadata.stopReason]).toEqual(['eogToken', 'eogToken']);
    } finally {
      await context.dispose();
    }
  });

  it('a template with thought segments stays with LlamaChat, which separates them', () => {
    const rendered = renderChat(lib, model, new lib.DeepSeekChatWrapper(), [{ role: 'user', content: 'Hi?' }]);
    expect(rendered.plain).toBeNull();
    expect(rendered.tokens.length).toBeGreaterThan(3);
  });

  it("a raw prompt counts the tokens LlamaCompletion evaluates, and no BOS the file does not ask for", { timeout: 60_000 }, async () => {
    const context = await model.createContext({ contextSize: 512, threads: 1 });
    try {
      const sequence = context.getSequence();
      for (const text of ['The capital of France is', ' leading space', '']) {
        const { tokens, input } = renderCompletion(lib, model, text);
        if (input.length === 0) continue; // nothing to evaluate: LlamaCompletion needs a token
        await sequence.clearHistory();
        const completion = new lib.LlamaCompletion({ contextSequence: sequence });
        await completion.generateCompletion(input, { maxTokens: 1, temperature: 0 });
        completion.dispose({ disposeSequence: false });
        expect(sequence.contextTokens, text).toEqual(tokens); // the one sampled token is not evaluated
      }
      expect(renderCompletion(lib, model, 'The capital of France is').tokens).toEqual(model.tokenize('The capital of France is')); // SmolLM2's file asks for no BOS
    } finally {
      await context.dispose();
    }
  });

  it('a long prompt is read whole: the head of a prompt filling 93% of the context is not dropped', { timeout: 60_000 }, async () => {
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

describe('LeadingTextFilter', () => {
  const run = (ignore: string[], chunks: string[]) => {
    const f = new LeadingTextFilter(ignore);
    return [...chunks.map((c) => f.push(c)), f.end()];
  };
  const spaces = [' ', '  ', '   ', '\t', ' \t'];

  it("drops the longest start text, across chunks, and passes the rest as it comes", () => {
    expect(run(spaces, [' ', ' ', 'Paris', ' is'])).toEqual(['', '', 'Paris', ' is', '']);
    expect(run(spaces, [' Paris', ' is'])).toEqual(['Paris', ' is', '']);
    expect(run(spaces, ['Paris', '  '])).toEqual(['Paris', '  ', '']); // only at the start
    expect(run(spaces, ['    x'])).toEqual([' x', '']); // the longest is three spaces
    expect(run(spaces, [' \t\tx'])).toEqual(['\tx', '']);
  });

  it('an answer that ends while held back loses only its start text; none to drop passes at once', () => {
    expect(run(spaces, [' ', ' '])).toEqual(['', '', '']);
    expect(run(spaces, [' '])).toEqual(['', '']);
    expect(run([], [' Paris'])).toEqual([' Paris', '']);
    expect(run(spaces, [])).toEqual(['']);
  });
});
