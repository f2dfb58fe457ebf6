import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempHome } from '../../../../test-support/server.ts';
import { readChatTemplate } from './read-chat-template.ts';

describe('readChatTemplate', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  const folder = (name: string, files: Record<string, string>) => {
    const dir = join(home, name);
    mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    return dir;
  };

  it('prefers chat_template.jinja, then chat_template.json, then tokenizer_config.json', () => {
    const cfg = JSON.stringify({ chat_template: 'from-config' });
    expect(readChatTemplate(folder('a', { 'chat_template.jinja': 'from-jinja', 'tokenizer_config.json': cfg }))).toEqual({ template: 'from-jinja', file: 'chat_template.jinja' });
    expect(readChatTemplate(folder('b', { 'chat_template.json': JSON.stringify({ chat_template: 'from-json' }), 'tokenizer_config.json': cfg }))).toEqual({ template: 'from-json', file: 'chat_template.json' });
    expect(readChatTemplate(folder('c', { 'tokenizer_config.json': cfg }))).toEqual({ template: 'from-config', file: 'tokenizer_config.json' });
  });

  it('takes the default of a list of named templates, and gives null when there is none', () => {
    const named = JSON.stringify({ chat_template: [{ name: 'tool_use', template: 'tools' }, { name: 'default', template: 'chat' }] });
    expect(readChatTemplate(folder('d', { 'tokenizer_config.json': named }))?.template).toBe('chat');
    expect(readChatTemplate(folder('e', { 'tokenizer_config.json': '{}' }))).toBeNull();
    expect(readChatTemplate(folder('f', { 'tokenizer_config.json': 'not json' }))).toBeNull();
  });
});
