import { CanonicalChatLine } from '../formats/canonical-chat-line.ts';
import { chatLineFacts, type ChatLineFacts } from '../stats/chat-line-facts.ts';
import { WasmChatLineFacts } from '../stats/wasm-chat-line-facts.ts';

/** Works out the facts of a batch of lines (the bytes of each, without its line ending). */
export type LineFactsReader = (lines: readonly Uint8Array[]) => ChatLineFacts;

/**
 * The WebAssembly scanner (`wasm`), or the TypeScript reference it is a port of: the same facts
 * either way, the scanner at a fraction of the cost per byte.
 */
export function lineFactsReader(wasm: boolean): LineFactsReader {
  if (wasm) {
    const scanner = new WasmChatLineFacts();
    return (lines) => scanner.facts(lines);
  }
  const c = new CanonicalChatLine();
  return (lines) => chatLineFacts(c, lines);
}
