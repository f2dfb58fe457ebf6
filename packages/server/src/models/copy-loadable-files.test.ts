import { describe, expect, it } from 'vitest';
import { isLoadableFile } from './copy-loadable-files.ts';

describe('isLoadableFile', () => {
  it('keeps weights, configs, tokenizer files and the chat template, and leaves the training state behind', () => {
    const checkpoint = [
      'adapter_model.safetensors', 'adapter_config.json', 'model.safetensors', 'model-00001-of-00002.safetensors', 'model.safetensors.index.json',
      'config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'chat_template.jinja',
      'vocab.json', 'merges.txt', 'tokenizer.model', 'pytorch_model.bin',
      'optimizer.pt', 'scheduler.pt', 'rng_state.pth', 'rng_state_1.pth', 'trainer_state.json', 'training_args.bin', 'scaler.pt', 'README.md',
    ];
    expect(checkpoint.filter(isLoadableFile)).toEqual(checkpoint.slice(0, 15));
  });
});
