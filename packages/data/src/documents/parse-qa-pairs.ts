export interface QaText {
  question: string;
  answer: string;
}

/**
 * Question-answer pairs out of a model's reply, as leniently as small models need: a JSON object
 * with `pairs` (or any array of {question, answer}), inside a ```json fence or not, else lines
 * "Q: ... / A: ..." (also "Question:"/"Answer:", "问："/"答："). Pairs with an empty side are dropped.
 */
export function parseQaPairs(reply: string): QaText[] {
  return clean(fromJson(reply) ?? fromLines(reply));
}

function fromJson(reply: string): QaText[] | null {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(reply)?.[1];
  for (const candidate of [fenced, reply, slice(reply, '{', '}'), slice(reply, '[', ']')]) {
    if (!candidate) continue;
    let v: unknown;
    try {
      v = JSON.parse(candidate.trim());
    } catch {
      continue;
    }
    const list = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v).find(Array.isArray) : null;
    if (!Array.isArray(list)) continue;
    return list.map((p) => {
      const o = (p ?? {}) as Record<string, unknown>;
      return { question: str(o.question ?? o.q ?? o.instruction), answer: str(o.answer ?? o.a ?? o.output) };
    });
  }
  return null;
}

function fromLines(reply: string): QaText[] {
  const out: QaText[] = [];
  let cur: { q: string[]; a: string[] } | null = null;
  let side: 'q' | 'a' = 'q';
  for (const line of reply.split('\n')) {
    const q = /^\s*(?:\d+[.)]\s*)?(?:\*\*)?(?:Q|Question|问题?)\s*\d*\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?(.*)$/i.exec(line);
    const a = /^\s*(?:\*\*)?(?:A|Answer|答案?)\s*\d*\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?(.*)$/i.exec(line);
    if (q) {
      if (cur) out.push({ question: cur.q.join('\n'), answer: cur.a.join('\n') });
      cur = { q: [q[1]!], a: [] };
      side = 'q';
    } else if (a && cur) {
      cur.a.push(a[1]!);
      side = 'a';
    } else if (cur && line.trim()) {
      cur[side].push(line);
    }
  }
  if (cur) out.push({ question: cur.q.join('\n'), answer: cur.a.join('\n') });
  return out;
}

function clean(pairs: QaText[]): QaText[] {
  return pairs.map((p) => ({ question: p.question.trim(), answer: p.answer.trim() })).filter((p) => p.question && p.answer);
}

function slice(s: string, open: string, close: string): string | null {
  const i = s.indexOf(open);
  const j = s.lastIndexOf(close);
  return i >= 0 && j > i ? s.slice(i, j + 1) : null;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}
