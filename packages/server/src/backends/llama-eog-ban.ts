import { WhetError } from '@whetstone/core';

type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;
type TokenBias = InstanceType<NodeLlamaCpp['TokenBias']>;
type Token = Parameters<LlamaModel['isEogToken']>[0] & number;

/**
 * `ignore_eos` on llama.cpp, as llama-server does it: a logit of -inf on every
 * end-of-generation token (EOS, EOT, <|im_end|> and the like), so the answer runs to max_tokens
 * unless a stop string ends it. node-llama-cpp's `TokenBias.set` skips end-of-generation tokens
 * on purpose, so they go into its private bias map, which `LlamaContext` hands to llama.cpp as
 * is (pinned node-llama-cpp 3.21.1; the ignore_eos test in llamacpp.e2e.test.ts fails if that
 * stops working). Built once per model: one `isEogToken` call per vocabulary entry.
 */
export function endOfGenerationBan(lib: NodeLlamaCpp, model: LlamaModel): TokenBias {
  const bias = new lib.TokenBias(model.tokenizer);
  const biases = (bias as unknown as { _biases?: unknown })._biases;
  if (!(biases instanceof Map)) {
    throw new WhetError('BACKEND_UNAVAILABLE', 'ignore_eos is not available with this node-llama-cpp version (its TokenBias has no bias map)', {
      hint: 'Reinstall the pinned node-llama-cpp 3.21.1 with `npm ci`, or drop ignore_eos.',
    });
  }
  const vocabulary = model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? 0;
  for (let token = 0; token < vocabulary; token++) {
    if (model.isEogToken(token as Token)) biases.set(token, -Infinity);
  }
  return bias;
}
