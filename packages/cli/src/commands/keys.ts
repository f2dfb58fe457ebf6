import { InvalidArgumentError, Option, type Command } from 'commander';
import { ApiKeyRoleSchema, type ApiKey, type ApiKeyCreated } from '@whetstone/core';
import type { ApiClient } from '../client.ts';
import { table } from '../format.ts';
import { print } from '../output.ts';

// A typo must not become "no limit": JSON turns NaN into null, which means unlimited.
const perMinute = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`give a whole number of requests a minute >= 1, got "${v}"`);
  return n;
};

/** `whet keys create|list|delete`: API keys and their roles (needs an admin key in WHET_API_KEY). */
export function keyCommands(program: Command, api: () => ApiClient) {
  const keys = program.command('keys').description('Create, list and delete API keys (an admin key, e.g. one from WHET_API_KEYS, in WHET_API_KEY)');
  keys
    .command('create')
    .description('Create an API key; its secret is printed once')
    .option('--name <name>', 'what the key is for', 'default')
    .addOption(new Option('--role <role>', 'admin: everything; member: data, jobs, evaluations, exports, deployments; inference: /v1 chat, completions, models (default: admin for the first key of a server without keys, member after)').choices(ApiKeyRoleSchema.options))
    .option('--rate-limit <n>', 'requests a minute (default: no limit)', perMinute)
    .option('--json', 'print JSON')
    .action(async (o) =>
      print(await api().post<ApiKeyCreated>('/keys', { name: o.name, role: o.role, rate_limit_per_minute: o.rateLimit ?? null }), o, (k) =>
        [`created ${k.role} key ${k.name} (${k.id})`, k.key, 'The secret is shown this once: store it now (send it as WHET_API_KEY or "Authorization: Bearer <key>").'].join('\n'),
      ),
    );
  keys
    .command('list')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { data } = await api().get<{ data: ApiKey[] }>('/keys');
      print(data, o, (rows) => table(rows.map((k) => ({ ...k, per_minute: k.rate_limit_per_minute ?? 'unlimited', last_used: k.last_used_at ?? 'never' })), ['id', 'name', 'role', 'prefix', 'per_minute', 'last_used']));
    });
  keys
    .command('delete <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => print(await api().delete<{ id: string }>(`/keys/${encodeURIComponent(id)}`), o, (r) => `deleted key ${r.id}`));
}
