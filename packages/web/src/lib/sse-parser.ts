/** One Server-Sent Event as the spec defines it: its type, id and (multi-line) data. */
export interface SseMessage {
  event: string;
  id: string | null;
  data: string;
  /** A `retry:` field, in milliseconds. */
  retry: number | null;
}

/**
 * An incremental parser for `text/event-stream` (WHATWG HTML §9.2): feed it decoded text as it
 * arrives, get back each complete event. Comments (`:` lines, the heartbeats) are skipped; an
 * event without data is dropped, as EventSource does.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | null = null;
  private retry: number | null = null;

  push(text: string): SseMessage[] {
    this.buffer += text;
    const out: SseMessage[] = [];
    let start = 0;
    // Scan from `start` in place: slicing the rest of the buffer for every line made a chunk of
    // k lines cost k copies of it (a replay of 100,000 points arrives in a few big chunks).
    const newline = /\r\n|\r|\n/g;
    for (;;) {
      newline.lastIndex = start;
      const found = newline.exec(this.buffer);
      if (!found) break;
      const end = found.index;
      // A lone \r at the end of the buffer may be half of \r\n: wait for the next chunk.
      if (this.buffer[end] === '\r' && end + 1 === this.buffer.length) break;
      const line = this.buffer.slice(start, end);
      start = end + (this.buffer.startsWith('\r\n', end) ? 2 : 1);
      const message = this.line(line);
      if (message) out.push(message);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === '') {
      const message = this.data.length ? { event: this.event || 'message', id: this.id, data: this.data.join('\n'), retry: this.retry } : null;
      this.event = '';
      this.data = [];
      this.retry = null;
      return message;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
    return null;
  }
}
