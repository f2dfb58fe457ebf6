/**
 * GPT-2's byte-level alphabet: byte-level BPE tokenizers (Llama 3, Qwen, SmolLM) spell every
 * byte as one printable character (a space is "Ġ", a newline "Ċ"). Inverted here to read a
 * token's bytes back.
 */
const BYTE_OF_CHAR: Map<string, number> = (() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const map = new Map<string, number>();
  let extra = 0;
  for (let b = 0; b < 256; b++) map.set(String.fromCodePoint(printable(b) ? b : 256 + extra++), b);
  return map;
})();

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A token's text: its bytes decoded when it is a whole UTF-8 byte-level token, else as stored (SentencePiece's "▁" is a space). */
export function tokenText(token: string): string {
  const chars = [...token];
  if (chars.every((c) => BYTE_OF_CHAR.has(c))) {
    try {
      return decoder.decode(Uint8Array.from(chars, (c) => BYTE_OF_CHAR.get(c)!));
    } catch {
      // part of a multi-byte character: show the token as the tokenizer spells it
    }
  }
  return token.replace(/▁/g, ' ');
}

/** A token as shown between boundaries: its text with spaces, tabs and newlines made visible. */
export function tokenLabel(token: string): string {
  return tokenText(token).replace(/ /g, '·').replace(/\t/g, '→').replace(/\r?\n/g, '↵');
}
