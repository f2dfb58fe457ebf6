// @whetstone/eval: metrics that match the reference libraries to the last digit, and the
// training diagnosis. Internal ports (jieba, python arithmetic) stay behind these names.
export { scorePairs, summarizeScores, METRIC_KEYS, type EvalScores, type EvalSummary, type MetricKey, type ScorePair, type ScorePairsOptions } from './score-pairs.ts';
export { scoreSample, type SampleScores } from './score-sample.ts';
export { scoreFile } from './score-file.ts';
export { readPairs, parsePairLine } from './read-pairs.ts';
export { exactMatch, normalizeAnswer, type NormalizeOptions } from './exact-match.ts';
export { accuracy, matchLabel, type AccuracyOptions, type AccuracyResult } from './accuracy.ts';
export { labelReport } from './label-report.ts';
export { labelScores, type LabelScores } from './label-scores.ts';
export { accuracyOfConfusion, confusionMatrix } from './confusion-matrix.ts';
export { prepareLabelSet, type PreparedLabels } from './label-set.ts';
export { perplexity } from './perplexity.ts';
export { sentenceBleu, type BleuSmoothing } from './bleu/sentence-bleu.ts';
export { rougeChinese, type RougeScores, type RougeStat } from './rouge/rouge-chinese.ts';
export { corpusBleu, type CorpusBleu, type SacrebleuTokenizer } from './sacrebleu/corpus-bleu.ts';
export { jiebaCut } from './jieba/jieba-cut.ts';
export { diagnoseTraining, type DiagnoseOptions, type MetricPointLike } from './diagnosis/index.ts';
export { parseScore, parsePairVerdict, type PairVerdict } from './judge/parse-verdict.ts';
export { pairwiseOutcome, type PairOutcome } from './judge/pairwise-outcome.ts';
export { bootstrapInterval } from './judge/bootstrap-interval.ts';
export { seededRandom } from './seeded-random.ts';
export { winRate, meanLengthChars, type WinRate } from './judge/win-rate.ts';
export { singleJudgePrompt, pairJudgePrompt, detectLanguage, rubricName, SCORE_VERDICTS, PAIR_VERDICTS, type JudgeLanguage, type JudgeMessage, type Rubric } from './judge/judge-prompts.ts';
