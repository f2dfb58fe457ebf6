import type { Command } from 'commander';
import { isEvaluationFinished, type Evaluation } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { describeJudge } from '../describe-judge.ts';
import { print } from '../output.ts';
import { judgeFromFlags } from '../parse-judge-options.ts';

/** The judge flags `whet eval run` and `whet eval judge` share. */
export function withJudgeOptions(cmd: Command, required = false): Command {
  const judge = 'grade the answers with a judge: NAME (a model), job_ID, dep:DEPLOYMENT or conn:CONNECTION[#MODEL]';
  return (required ? cmd.requiredOption('--judge <model>', judge) : cmd.option('--judge <model>', judge))
    .option('--rubric <rubric>', 'helpfulness (default), correctness (against the reference) or @FILE (your own instruction to the judge)')
    .option('--rubric-reference', 'with --rubric @FILE: show the judge the reference answer too')
    .option('--judge-mode <mode>', 'single (a 1-10 score per answer, the default) or pairwise (win rates, each sample judged in both orders)')
    .option('--judge-pairs <pairs>', 'pairwise: which columns to compare, e.g. 1:0,2:0 (default: each column against the baseline)')
    .option('--judge-language <lang>', 'auto (default: that of the test prompts), en or zh')
    .option('--judge-max-tokens <n>', "per judgment (default 512, at most half a local judge's context)", Number)
    .option('--judge-constrain', 'decode only the verdict strings (small local judges; no reason is written)');
}

/** `whet eval judge ID --judge ...`: judge a finished evaluation again from its stored answers. */
export function evalJudgeCommand(evals: Command, api: () => ApiClient) {
  withJudgeOptions(evals.command('judge <id>').description('Judge a finished evaluation again (another judge, rubric or mode) from its stored answers'), true)
    .option('--follow', 'wait for the judge, then show its result')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      let e = await api().post<Evaluation>(`/evaluations/${id}/judge`, judgeFromFlags(o));
      if (o.follow) {
        let last = '';
        while (!isEvaluationFinished(e.judge!.status)) {
          await new Promise((r) => setTimeout(r, 500));
          e = await api().get<Evaluation>(`/evaluations/${id}`);
          const line = `judge ${e.judge!.status} ${e.judge!.progress.done}/${e.judge!.progress.total}`;
          if (line !== last && !o.json) console.log((last = line));
        }
        process.exitCode = e.judge!.status === 'succeeded' ? 0 : 1;
      }
      print(e, { json: o.json }, (x) => describeJudge(x.judge!));
    });
}
