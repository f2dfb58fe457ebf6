import { readPairs } from './read-pairs.ts';
import { scorePairs, type EvalScores, type ScorePairsOptions } from './score-pairs.ts';

/** `scorePairs` over a JSONL file of {"prediction", "reference"} lines (see `readPairs`). */
export async function scoreFile(path: string, opts: ScorePairsOptions = {}): Promise<EvalScores> {
  return scorePairs(await readPairs(path), opts);
}
