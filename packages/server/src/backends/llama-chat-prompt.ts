import type { BackendRequest } from './generation-backend.ts';

type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;
type ChatWrapper = InstanceType<NodeLlamaCpp['ChatWrapper']>;
type Token = import('node-llama-cpp').Token;
type ChatHistory = Parameters<InstanceType<NodeLlamaCpp['LlamaChat']>['generateResponse']>[0];
type StopTrigger = NonNullable<Parameters<InstanceType<NodeLlamaCpp['LlamaCompletion']>['generateCompletion']>[1]>['customStopTriggers'];
type Message = NonNullable<BackendRequest['messages']>[number];

/**
 * The chat template a GGUF deployment renders with: the file's own Jinja template when it has
 * one, as llama.cpp's server and Hugging Face render it. node-llama-cpp's "auto" picks a built-in
 * wrapper for a template it recognises instead, and its ChatML wrapper drops the template's
 * default system prompt and adds a BOS (SmolLM2's BOS is <|im_start|>, so the prompt began with
 * it twice): not the prompt the model was trained on. Other files keep node-llama-cpp's choice.
 */
export function resolveGgufChatWrapper(lib: NodeLlamaCpp, model: LlamaModel): ChatWrapper {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  return typeof template === 'string' && template.length > 0
    ? lib.resolveChatWrapper(model, { type: 'jinjaTemplate', fallbackToOtherWrappersOnJinjaError: true, warningLogs: false })
    : lib.resolveChatWrapper(model, { warningLogs: false });
}

export interface RenderedChat {
  history: ChatHistory;
  /** The tokens the model reads (what prompt_tokens counts and the sequence pool matches). */
  tokens: Token[];
  /**
   * Set when the answer is plain text ending at the template's stop triggers (no function
   * calls or thought segments, which only LlamaChat handles): then it is generated as a
   * completion of `input`, with less work per token than LlamaChat, and `ignoreStart` (the
   * whitespace LlamaChat drops from an answer's start) is dropped with a LeadingTextFilter.
   */
  plain: { input: Token[]; stopTriggers: NonNullable<StopTrigger>; ignoreStart: string[] } | null;
}

/** The request's messages rendered by the deployment's chat template, ready to generate from. */
export function renderChat(lib: NodeLlamaCpp, model: LlamaModel, wrapper: ChatWrapper, messages: Message[]): RenderedChat {
  const history = toHistory(messages);
  const state = wrapper.generateContextState({ chatHistory: history });
  const rendered = state.contextText.tokenize(model.tokenizer);
  const ignoreStart = plainTexts((state as { ignoreStartText?: unknown[] }).ignoreStartText);
  if (!isPlain(state, wrapper) || ignoreStart === null) return { history, tokens: rendered, plain: null };
  const { tokens, input } = asCompletionInput(tokenCompletionPrepends(lib, model), rendered);
  return { history, tokens, plain: { input, stopTriggers: state.stopGenerationTriggers, ignoreStart } };
}

/**
 * A raw completion prompt as LlamaCompletion reads it: `tokens` is what it evaluates (its own
 * first token where the file asks for one, then the text, tokenized as it does), `input` what to
 * hand it. Counting a BOS the file does not ask for made prompt_tokens one too many.
 */
export function renderCompletion(lib: NodeLlamaCpp, model: LlamaModel, text: string): { tokens: Token[]; input: Token[] } {
  const first = tokenCompletionPrepends(lib, model);
  return asCompletionInput(first, model.tokenize(text, false, first != null ? 'trimLeadingSpace' : undefined));
}

/**
 * `tokens` as LlamaCompletion is handed them (`input`: without the first token it puts there
 * itself, so a rendering that starts with it keeps one copy) and as it evaluates them (`tokens`).
 */
function asCompletionInput(first: Token | null | undefined, tokens: Token[]): { tokens: Token[]; input: Token[] } {
  if (first == null) return { tokens, input: tokens };
  const input = tokens[0] === first ? tokens.slice(1) : tokens;
  return { tokens: [first, ...input], input };
}

function isPlain(state: ReturnType<ChatWrapper['generateContextState']>, wrapper: ChatWrapper): boolean {
  const s = state as Partial<Record<'prefixTriggers', unknown[]>> & Record<string, unknown>;
  const segments = wrapper.settings.segments;
  return (
    !s.prefixTriggers?.length &&
    !s.noPrefixTrigger &&
    !s.rerender &&
    !s.detectFunctionCalls &&
    !(s.functionCall as { initiallyEngaged?: boolean } | undefined)?.initiallyEngaged &&
    segments?.thought == null &&
    segments?.comment == null
  );
}

/** The texts of LlamaText items made of plain text only, or null when one holds a special token. */
function plainTexts(items: unknown[] | undefined): string[] | null {
  const texts: string[] = [];
  for (const item of items ?? []) {
    const values = typeof item === 'string' ? [item] : (item as { values?: unknown }).values;
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return null;
    texts.push(values.join(''));
  }
  return texts;
}

/**
 * Drops the longest of `ignore` that starts an answer streamed in chunks, as LlamaChat does with
 * a template's ignoreStartText (leading spaces and tabs), holding text back only while it could
 * still grow into a longer one.
 */
export class LeadingTextFilter {
  private pending: string | null = '';
  constructor(private readonly ignore: string[]) {}

  push(text: string): string {
    if (this.pending === null) return text;
    const held = this.pending + text;
    this.pending = held;
    return this.ignore.some((t) => t.length > held.length && t.startsWith(held)) ? '' : this.release();
  }

  /** What is still held back when the answer ends. */
  end(): string {
    return this.pending === null ? '' : this.release();
  }

  private release(): string {
    const text = this.pending!;
    this.pending = null;
    const longest = this.ignore.reduce((best, t) => (t.length > best && text.startsWith(t) ? t.length : best), 0);
    return text.slice(longest);
  }
}

/**
 * The token LlamaCompletion prepends to its input (node-llama-cpp 3.21.1's
 * resolveBeginningTokenToPrepend, which it does not export): the BOS when the file asks for one.
 */
function tokenCompletionPrepends(lib: NodeLlamaCpp, model: LlamaModel): Token | null {
  const vocabulary = model.vocabularyType;
  if (vocabulary === lib.LlamaVocabularyType.rwkv || vocabulary === lib.LlamaVocabularyType.ugm) return null;
  if (vocabulary === lib.LlamaVocabularyType.wpm) return model.tokens.bos;
  return model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
}

function toHistory(messages: Message[]): ChatHistory {
  const items = messages.map((m) => (m.role === 'assistant' ? { type: 'model' as const, response: [m.content] } : { type: m.role, text: m.content }));
  return [...items, { type: 'model' as const, response: [] as string[] }] as ChatHistory;
}
