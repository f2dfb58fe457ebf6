import { readFile } from 'node:fs/promises';
import { WhetError } from '@whetstone/core';

export interface ChatTurn {
  role: string;
  content: string;
}

/** One test row: the conversation up to the answer, and the answer as the reference. */
export interface TestRow {
  index: number;
  messages: ChatTurn[];
  reference: string;
}

async function readConversations(path: string): Promise<{ line: number; messages: ChatTurn[] }[]> {
  const text = await readFile(path, 'utf8');
  const rows: { line: number; messages: ChatTurn[] }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    const row = JSON.parse(raw) as { messages?: ChatTurn[] };
    rows.push({ line: i + 1, messages: (row.messages ?? []).map((m) => ({ role: m.role, content: m.content })) });
  });
  return rows;
}

/**
 * The test rows of a normalized dataset file (`{"messages": [...]}` lines): each row's last
 * message must be the assistant's answer (the reference); the turns before it are the prompt.
 * A row without one is a DATASET_INVALID error naming its line.
 */
export async function loadTestRows(path: string, limit?: number): Promise<TestRow[]> {
  const conversations = await readConversations(path);
  const missing = conversations.filter((c) => c.messages.length < 2 || c.messages.at(-1)!.role !== 'assistant');
  if (missing.length > 0) {
    throw new WhetError('DATASET_INVALID', `the test set has rows without a reference: line${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).map((m) => m.line).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} do${missing.length > 1 ? '' : 'es'} not end with an assistant answer`, {
      hint: 'Every test row needs a prompt and the expected answer as its last (assistant) message.',
      line: missing[0].line,
      field: 'messages',
    });
  }
  if (conversations.length === 0) throw new WhetError('DATASET_EMPTY', `the test set ${path} holds no rows`);
  return conversations.slice(0, limit).map((c, index) => ({ index, messages: c.messages.slice(0, -1), reference: c.messages.at(-1)!.content }));
}

/** k example turns for few-shot prompting: the last user question and its answer from each of the first k usable rows. */
export async function loadFewShot(path: string, k: number): Promise<ChatTurn[]> {
  if (k === 0) return [];
  const turns: ChatTurn[] = [];
  for (const c of await readConversations(path)) {
    const answer = c.messages.at(-1);
    const question = c.messages.at(-2);
    if (answer?.role !== 'assistant' || question?.role !== 'user') continue;
    turns.push(question, answer);
    if (turns.length === 2 * k) break;
  }
  return turns;
}
