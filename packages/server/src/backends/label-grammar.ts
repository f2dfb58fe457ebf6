/**
 * A GBNF grammar whose only sentences are the labels: `root ::= "pos" | "positive" | ...`.
 * llama.cpp's grammar sampler then allows, at each step, only tokens that keep the text on the
 * way to some label, and the end of generation only once a whole label is written.
 */
export function labelsGrammar(labels: readonly string[]): string {
  const unique = [...new Set(labels)];
  return `root ::= ${unique.map(gbnfLiteral).join(' | ')}\n`;
}

/** A GBNF string literal: quotes, backslashes and control characters escaped; other characters (UTF-8) as they are. */
export function gbnfLiteral(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
