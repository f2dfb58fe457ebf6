import { readJsonlLines } from '../io/read-jsonl-lines.ts';
import { PromptIndex, rowPrompt, type PromptOverlap } from './prompt-index.ts';

/**
 * countPromptOverlap against a normalized training file (data.jsonl or a job's prepared
 * train.jsonl), read one row at a time: training sets may be far larger than memory allows as text.
 */
export async function trainingOverlap(trainPath: string, testPrompts: readonly (string | null)[]): Promise<PromptOverlap> {
  const index = new PromptIndex();
  for await (const line of readJsonlLines(trainPath)) {
    const prompt = rowPrompt(JSON.parse(line) as { messages?: { role: string; content: unknown }[] });
    if (prompt !== null) index.add(prompt);
  }
  return index.count(testPrompts);
}
