import { Command } from 'commander';
import { isWhetError } from '@whetstone/core';
import { ApiClient } from './client.ts';
import { chatCommand } from './commands/chat.ts';
import { dataCommands } from './commands/data.ts';
import { deployCommands } from './commands/deploy.ts';
import { evalCommands } from './commands/eval.ts';
import { benchCommands } from './commands/bench.ts';
import { exportCommands } from './commands/export.ts';
import { jobCommands } from './commands/jobs.ts';
import { keyCommands } from './commands/keys.ts';
import { connectionCommands } from './commands/connections.ts';
import { modelCommands } from './commands/models.ts';
import { settingsCommands } from './commands/settings.ts';
import { tokensCommand } from './commands/tokens.ts';
import { trainCommand } from './commands/train.ts';

const program = new Command('whet')
  .description('Whetstone: fine-tune open LLMs on your own data. Talks to the server at WHET_URL (default http://127.0.0.1:7860).')
  .version('0.1.0');
const api = () => new ApiClient();
modelCommands(program, api);
dataCommands(program, api);
trainCommand(program, api);
jobCommands(program, api);
tokensCommand(program, api);
evalCommands(program, api);
benchCommands(program, api);
deployCommands(program, api);
exportCommands(program, api);
keyCommands(program, api);
connectionCommands(program, api);
settingsCommands(program, api);
chatCommand(program, api);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (isWhetError(e)) {
    console.error(`error ${e.code}: ${e.message}${e.line ? ` (line ${e.line})` : ''}\nhint: ${e.hint}`);
  } else {
    console.error(`error: ${(e as Error).message ?? String(e)}`);
  }
  process.exitCode = 1;
});
