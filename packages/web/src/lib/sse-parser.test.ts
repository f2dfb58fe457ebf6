import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.ts';

describe('SseParser', () => {
  it('parses events split across chunks, with ids, multi-line data and comments', () => {
    const p = new SseParser();
    expect(p.push('id: 1\nevent: progress\ndata: {"a"')).toEqual([]);
    expect(p.push(':1}\n\n: heartbeat\n\nid: 2\r\nevent: eval\r\ndata: x\r\ndata: y\r\n\r\n')).toEqual([
      { event: 'progress', id: '1', data: '{"a":1}', retry: null },
      { event: 'eval', id: '2', data: 'x\ny', retry: null },
    ]);
  });

  it('keeps the last id for events without one, reads retry, and waits for a split \\r\\n', () => {
    const p = new SseParser();
    expect(p.push('id: 7\ndata: a\n\nretry: 3000\ndata: b\r')).toEqual([{ event: 'message', id: '7', data: 'a', retry: null }]);
    expect(p.push('\n\r\n')).toEqual([{ event: 'message', id: '7', data: 'b', retry: 3000 }]);
  });

  it('drops an event that carries no data', () => {
    expect(new SseParser().push('event: ping\n\n')).toEqual([]);
  });
});
