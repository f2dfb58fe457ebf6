/**
 * Where JSON.parse failed and why, in words an editor user understands. V8's messages do not
 * always carry a position, so a small strict scanner walks the text again (only for lines
 * that already failed, so speed does not matter) and reports the first offending character.
 */
export interface JsonSyntaxProblem {
  /** 1-based column in UTF-16 units, as VS Code and most editors count (an emoji is 2). */
  column: number;
  detail: string;
}

export function locateJsonError(text: string): JsonSyntaxProblem {
  const r = scan(text);
  const shown = r.index < text.length ? `unexpected ${describeChar(text, r.index)}` : 'unexpected end of line';
  return { column: r.index + 1, detail: `${shown}, ${r.expected}` };
}

function describeChar(text: string, i: number): string {
  const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
  return ch.trim() === '' ? `whitespace (U+${(text.codePointAt(i) ?? 0).toString(16).toUpperCase().padStart(4, '0')})` : `"${ch}"`;
}

interface ScanFailure {
  index: number;
  expected: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Returns the index of the first error (text.length when the text ended too early). */
function scan(text: string): ScanFailure {
  let i = 0;
  const n = text.length;
  // stack of open containers: '{' or '['
  const stack: string[] = [];
  const skipWs = () => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const fail = (expected: string): ScanFailure => ({ index: i, expected });

  // states: 'value' expects a value; 'after' expects , ] } or end; 'key' expects a string key or }
  let state: 'value' | 'after' | 'key' | 'firstKey' | 'firstValue' = 'value';
  for (;;) {
    skipWs();
    if (state === 'value' || state === 'firstValue') {
      if (i >= n) return fail('expected a value');
      const c = text[i];
      if (c === '{') {
        stack.push('{');
        i++;
        state = 'firstKey';
        continue;
      }
      if (c === '[') {
        stack.push('[');
        i++;
        state = 'firstValue';
        continue;
      }
      if (c === ']' && state === 'firstValue') {
        stack.pop();
        i++;
        state = 'after';
        continue;
      }
      const err = scanScalar();
      if (err) return err;
      state = 'after';
      continue;
    }
    if (state === 'key' || state === 'firstKey') {
      if (i >= n) return fail('expected a property name in double quotes');
      if (text[i] === '}' && state === 'firstKey') {
        stack.pop();
        i++;
        state = 'after';
        continue;
      }
      if (text[i] !== '"') return fail('expected a property name in double quotes');
      const err = scanString();
      if (err) return err;
      skipWs();
      if (i >= n || text[i] !== ':') return fail('expected ":" after the property name');
      i++;
      state = 'value';
      continue;
    }
    // after a value
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (i < n) return fail('expected the end of the line after the JSON value (one object per line)');
      return { index: n, expected: 'the JSON is cut short' };
    }
    if (i >= n) return fail(top === '{' ? 'expected "," or "}"' : 'expected "," or "]"');
    const c = text[i];
    if (c === ',') {
      i++;
      state = top === '{' ? 'key' : 'value';
      continue;
    }
    if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
      stack.pop();
      i++;
      continue;
    }
    return fail(top === '{' ? 'expected "," or "}" after the property value' : 'expected "," or "]" after the array element');
  }

  function scanScalar(): ScanFailure | null {
    const c = text[i];
    if (c === '"') return scanString();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return null;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0].length > 0 && m[0] !== '-') {
      i += m[0].length;
      return null;
    }
    if (c === "'") return fail('expected a value (JSON strings use double quotes, not single quotes)');
    return fail('expected a value');
  }

  function scanString(): ScanFailure | null {
    i++; // opening quote
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return null;
      }
      if (code === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) break;
        if ('"\\/bfnrt'.includes(e)) {
          i += 2;
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          i += 6;
          continue;
        }
        return fail('invalid escape in a string (use \\n, \\", \\\\ or \\uXXXX)');
      }
      if (code < 0x20) return fail('control character inside a string (write a newline as \\n, a tab as \\t)');
      i++;
    }
    return { index: n, expected: 'a string is not closed (missing ")' };
  }
}
