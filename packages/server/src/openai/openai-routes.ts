import { Hono } from 'hono';
import type { AppContext } from '../context.ts';
import { chatCompletionRoutes } from './chat-completions.ts';
import { completionRoutes } from './completions.ts';
import { openAiModelRoutes } from './models.ts';
import { openAiNotFound, openAiOnError } from './openai-error.ts';
import { fileRoutes } from '../openai-fine-tuning/file-routes.ts';
import { fineTuningRoutes } from '../openai-fine-tuning/fine-tuning-routes.ts';

/** The OpenAI-compatible API, mounted at /v1: errors here always use OpenAI's shape. */
export function openAiRoutes(ctx: AppContext) {
  const v1 = new Hono()
    .route('/', chatCompletionRoutes(ctx))
    .route('/', completionRoutes(ctx))
    .route('/', openAiModelRoutes(ctx))
    // OpenAI's fine-tuning API: files are datasets, fine-tuning jobs are jobs.
    .route('/', fileRoutes(ctx))
    .route('/', fineTuningRoutes(ctx));
  v1.onError(openAiOnError);
  v1.notFound(openAiNotFound);
  return v1;
}
