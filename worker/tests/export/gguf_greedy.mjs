// Greedy-decode a GGUF file with llama.cpp (node-llama-cpp) and print what the tests compare:
//   node gguf_greedy.mjs MODEL.gguf PROMPT_TEXT N_TOKENS
// -> {"prompt_tokens":[...], "tokens":[...], "text":"...", "first_top":[[token, probability] x10]}
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';

const [modelPath, prompt, n] = process.argv.slice(2);
const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
const promptTokens = model.tokenize(prompt, true);
const context = await model.createContext({ contextSize: 512, threads: 2 }); // threads = physical cores here
const tokens = [];
let firstTop = null;
const outputs = context.getSequence().evaluateWithMetadata(promptTokens, { probabilities: true }, { temperature: 0 });
for await (const { token, probabilities } of outputs) {
  firstTop ??= [...probabilities.entries()].slice(0, 10);
  tokens.push(token);
  if (tokens.length >= Number(n)) break;
}
console.log(JSON.stringify({ prompt_tokens: promptTokens, tokens, text: model.detokenize(tokens), first_top: firstTop }));
await context.dispose();
await model.dispose();
await llama.dispose();
