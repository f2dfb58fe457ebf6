import type { api, Ok } from '../../../lib/api-client.ts';

/** A benchmark as `GET /api/v1/benchmarks/:id` answers it (typed from the server's route). */
export type Benchmark = Ok<Awaited<ReturnType<(typeof api.benchmarks)[':id']['$get']>>>;
export type BenchmarkModel = Benchmark['models'][number];
export type BenchmarkStatus = Benchmark['status'];
export type QuestionPage = Ok<Awaited<ReturnType<(typeof api.benchmarks)[':id']['questions']['$get']>>>;
export type BenchmarkQuestion = QuestionPage['data'][number];

export const isFinished = (status: BenchmarkStatus | undefined) => status === 'succeeded' || status === 'failed';

export const benchmarkKeys = {
  all: ['benchmarks'] as const,
  list: () => ['benchmarks', 'list'] as const,
  detail: (id: string) => ['benchmarks', 'detail', id] as const,
  questions: (id: string, q: object) => ['benchmarks', 'questions', id, q] as const,
};

/** Letters of the choices, as the prompts name them. */
export const LETTERS = 'ABCDEFGHIJ';
