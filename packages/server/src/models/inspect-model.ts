import { existsSync, openSync, readFileSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WhetError } from '@whetstone/core';

export interface ModelInfo {
  architecture: string | null;
  model_type: string | null;
  params: number | null;
  context_length: number | null;
  num_layers: number | null;
  has_chat_template: boolean;
}

const readJson = (path: string): Record<string, unknown> | null => {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new WhetError('MODEL_PATH_INVALID', `${path} is not valid JSON: ${(e as Error).message}`);
  }
};

/** Parameter count from safetensors headers (8-byte length, then JSON), without reading weights. */
export function countSafetensorsParams(dir: string, files: string[]): number {
  let total = 0;
  for (const f of files) {
    const fd = openSync(join(dir, f), 'r');
    try {
      const lenBuf = Buffer.alloc(8);
      readSync(fd, lenBuf, 0, 8, 0);
      const len = Number(lenBuf.readBigUInt64LE());
      if (len <= 0 || len > 100 * 1024 * 1024) throw new WhetError('MODEL_PATH_INVALID', `${f} has a corrupt safetensors header`);
      const header = Buffer.alloc(len);
      readSync(fd, header, 0, len, 8);
      const tensors = JSON.parse(header.toString('utf8')) as Record<string, { shape?: number[] }>;
      for (const [name, t] of Object.entries(tensors)) {
        if (name === '__metadata__' || !t.shape) continue;
        total += t.shape.reduce((a, b) => a * b, 1);
      }
    } finally {
      closeSync(fd);
    }
  }
  return total;
}

/**
 * Check that a folder holds a causal LM Whetstone can train, and read what the API shows:
 * architecture, parameter count, context length, whether a chat template is present.
 */
export function inspectModelDir(dir: string): ModelInfo {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new WhetError('MODEL_PATH_INVALID', `${dir} is not a folder on the server`, {
      hint: 'Give the absolute path of a Hugging Face model folder on the server machine.',
    });
  }
  const config = readJson(join(dir, 'config.json'));
  if (!config) throw new WhetError('MODEL_PATH_INVALID', `${dir} has no config.json, so it is not a Hugging Face model folder`);
  const files = readdirSync(dir);
  const safetensors = files.filter((f) => f.endsWith('.safetensors'));
  const hasWeights = safetensors.length > 0 || files.some((f) => /^pytorch_model.*\.bin$/.test(f));
  if (!hasWeights) throw new WhetError('MODEL_PATH_INVALID', `${dir} has config.json but no weights (*.safetensors or pytorch_model*.bin)`);
  if (!files.includes('tokenizer.json') && !files.includes('tokenizer.model') && !files.includes('vocab.json')) {
    throw new WhetError('MODEL_PATH_INVALID', `${dir} has no tokenizer (tokenizer.json, tokenizer.model or vocab.json)`);
  }
  const architectures = Array.isArray(config.architectures) ? (config.architectures as string[]) : [];
  const architecture = architectures[0] ?? null;
  if (architecture && !architecture.endsWith('ForCausalLM')) {
    throw new WhetError('MODEL_UNSUPPORTED', `${dir} holds a ${architecture}, not a causal language model`);
  }
  const textConfig = (config.text_config as Record<string, unknown> | undefined) ?? config;
  const ctx = textConfig.max_position_embeddings ?? config.max_position_embeddings ?? config.n_positions ?? config.seq_length;
  const tokenizerConfig = readJson(join(dir, 'tokenizer_config.json'));
  const hasTemplate =
    files.includes('chat_template.jinja') || files.includes('chat_template.json') || Boolean(tokenizerConfig?.chat_template);
  return {
    architecture,
    model_type: typeof config.model_type === 'string' ? config.model_type : null,
    params: safetensors.length ? countSafetensorsParams(dir, safetensors) : null,
    context_length: typeof ctx === 'number' ? ctx : null,
    num_layers: typeof textConfig.num_hidden_layers === 'number' ? textConfig.num_hidden_layers : null,
    has_chat_template: hasTemplate,
  };
}
