/** What a client needs to call a deployment through the OpenAI-compatible API. */
export interface SnippetTarget {
  /** This server's origin, e.g. http://127.0.0.1:8420 (the API is at origin + /v1). */
  origin: string;
  /** The deployment's name: the `model` clients send. */
  model: string;
  /** Whether the server wants an API key (then the snippets read it from $WHET_API_KEY). */
  keyRequired: boolean;
}

export interface Snippets {
  curl: string;
  python: string;
  javascript: string;
}

const PROMPT = 'Hello! Who are you?';

/** Shell single-quoting: safe for any text, including quotes. */
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * curl, Python and JavaScript (openai SDK) calls that work as shown: pasted into a shell (with
 * WHET_API_KEY exported when keys are on) or a file, they get an answer from the deployment.
 */
export function buildSnippets({ origin, model, keyRequired }: SnippetTarget): Snippets {
  const baseUrl = `${origin.replace(/\/+$/, '')}/v1`;
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: PROMPT }], max_tokens: 64 });
  const curl = [
    `curl -sS ${shellQuote(`${baseUrl}/chat/completions`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    ...(keyRequired ? [`  -H "Authorization: Bearer $WHET_API_KEY" \\`] : []),
    `  -d ${shellQuote(body)}`,
  ].join('\n');
  const py = JSON.stringify;
  const python = [
    ...(keyRequired ? ['import os', ''] : []),
    'from openai import OpenAI',
    '',
    `client = OpenAI(base_url=${py(baseUrl)}, api_key=${keyRequired ? 'os.environ["WHET_API_KEY"]' : '"not-needed"'})`,
    'response = client.chat.completions.create(',
    `    model=${py(model)},`,
    `    messages=[{"role": "user", "content": ${py(PROMPT)}}],`,
    '    max_tokens=64,',
    ')',
    'print(response.choices[0].message.content)',
  ].join('\n');
  const javascript = [
    "import OpenAI from 'openai';",
    '',
    `const client = new OpenAI({ baseURL: ${py(baseUrl)}, apiKey: ${keyRequired ? 'process.env.WHET_API_KEY' : "'not-needed'"} });`,
    'const response = await client.chat.completions.create({',
    `  model: ${py(model)},`,
    `  messages: [{ role: 'user', content: ${py(PROMPT)} }],`,
    '  max_tokens: 64,',
    '});',
    'console.log(response.choices[0].message.content);',
  ].join('\n');
  return { curl, python, javascript };
}
