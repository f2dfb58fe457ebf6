import { Hono } from 'hono';
import { SettingsPatchSchema } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';

/** Run-time settings (admin only, middleware/require-role.ts): the job-end webhook. The secret is never returned. */
export function settingsRoutes(ctx: AppContext) {
  return new Hono()
    .get('/settings', (c) => c.json(ctx.settings.get()))
    .patch('/settings', async (c) => c.json(ctx.settings.update(await parseJsonBody(c, SettingsPatchSchema))));
}
