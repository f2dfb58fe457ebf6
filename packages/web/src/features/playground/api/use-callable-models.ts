import { useQuery } from '@tanstack/react-query';
import type { Hono } from 'hono';
import { hc } from 'hono/client';
import type { MergeSchemaPath } from 'hono/types';
// Type-only: the OpenAI-compatible model list's route, for a typed client of `GET /v1/models`.
import type { openAiModelRoutes } from '../../../../../server/src/openai/models.ts';
import { unwrap } from '../../../lib/api-client.ts';
import { apiFetch } from '../../../lib/api-fetch.ts';

type ModelsSchema = ReturnType<typeof openAiModelRoutes> extends Hono<infer _E, infer S, infer _B> ? S : never;
type OpenAiType = Hono<{}, MergeSchemaPath<ModelsSchema, '/v1'>, '/'>;

const openAi = hc<OpenAiType>(window.location.origin, { fetch: apiFetch }).v1;

/** Every model the playground can call (`GET /v1/models`): deployments, base models, fine-tuned results. */
export function useCallableModels() {
  return useQuery({
    queryKey: ['playground', 'models'],
    queryFn: async () => (await unwrap(openAi.models.$get())).data,
  });
}

export type CallableModel = NonNullable<ReturnType<typeof useCallableModels>['data']>[number];
