import { createServer, type Server } from 'node:http';

const review = (text: string, label: string) => ({ messages: [{ role: 'user', content: `Review: ${text}\nSentiment?` }, { role: 'assistant', content: label }] });

/** A small sentiment set with the labels positive / negative, for labelled evaluations of a tiny job. */
export const REVIEW_TRAIN = [
  review('A moving, beautiful film.', 'positive'),
  review('Dull, slow and far too long.', 'negative'),
  review('The best concert I have been to.', 'positive'),
  review('The food was cold and bland.', 'negative'),
  review('Friendly staff and a lovely room.', 'positive'),
  review('It broke after two days.', 'negative'),
  review('Great value, would buy again.', 'positive'),
  review('Nobody answered the phone.', 'negative'),
];

/**
 * Its test set: two training rows copied as they are, one with its case and spacing changed
 * (equal once normalized), two new ones. 3 positive, 2 negative.
 */
export const REVIEW_TEST = [
  REVIEW_TRAIN[0]!,
  REVIEW_TRAIN[1]!,
  review('great VALUE,   would buy again.', 'positive'),
  review('A charming little book.', 'positive'),
  review('The battery died within an hour.', 'negative'),
];

/**
 * An OpenAI-compatible endpoint on 127.0.0.1 that answers `content` to every chat request:
 * a column whose per-label figures are known in advance. `delayMs` makes each answer wait (a run
 * long enough to cancel; a request the client drops is not answered). Returns its /v1 URL and a
 * close function.
 */
export async function fixedAnswerEndpoint(content: string, opts: { delayMs?: number } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const timer = setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
      }, opts.delayMs ?? 0);
      res.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
