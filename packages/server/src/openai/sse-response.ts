/**
 * A `text/event-stream` response in OpenAI's framing: `data: <json>\n\n` per chunk and
 * `data: [DONE]\n\n` last. Chunks are pulled one at a time, so a slow client slows the
 * generation instead of buffering it; a client that goes away cancels the stream, which
 * calls `onCancel` (abort the generation, free its slot).
 */
export function sseResponse(chunks: AsyncIterable<unknown>, onCancel: () => void | Promise<void>, headers: Record<string, string> = {}): Response {
  const encoder = new TextEncoder();
  const it = chunks[Symbol.asyncIterator]();
  let finished = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await it.next();
        if (next.done) {
          finished = true;
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          controller.close();
        } else {
          controller.enqueue(encoder.encode(`data: ${JSON.stringify(next.value)}\n\n`));
        }
      } catch (e) {
        finished = true;
        controller.error(e);
      }
    },
    async cancel() {
      if (!finished) await onCancel();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers },
  });
}
