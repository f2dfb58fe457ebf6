import { lazy, Suspense, type ReactNode } from 'react';
import { Loading } from '../components/loading.tsx';
import { patterns } from '../config/paths.ts';
import { matchPath, usePathname } from '../lib/router.tsx';
import { PageErrorBoundary } from './page-error-boundary.tsx';
import { NotFoundPage } from './routes/not-found.tsx';

// Every page is its own chunk: the first load carries only the shell.
const OverviewPage = lazy(() => import('./routes/overview.tsx'));
const JobPage = lazy(() => import('./routes/job.tsx'));
const DataPage = lazy(() => import('./routes/data.tsx'));
const DatasetPage = lazy(() => import('./routes/dataset.tsx'));
const TokensPage = lazy(() => import('./routes/data-tokens.tsx'));
const QaDraftsPage = lazy(() => import('./routes/data-qa.tsx'));
const NewJobPage = lazy(() => import('./routes/new-job.tsx'));
const ModelsPage = lazy(() => import('./routes/models.tsx'));
const ModelPage = lazy(() => import('./routes/model.tsx'));
const KeysPage = lazy(() => import('./routes/keys.tsx'));
const NotificationsPage = lazy(() => import('./routes/notifications.tsx'));
const ConnectionsPage = lazy(() => import('./routes/connections.tsx'));
const PlaygroundPage = lazy(() => import('./routes/playground.tsx'));
const EvaluationsPage = lazy(() => import('./routes/evaluations.tsx'));
const EvaluationPage = lazy(() => import('./routes/evaluation.tsx'));
const ComparePage = lazy(() => import('./routes/compare.tsx'));
const BenchmarksPage = lazy(() => import('./routes/benchmarks.tsx'));
const BenchmarkPage = lazy(() => import('./routes/benchmark.tsx'));

function route(pathname: string): ReactNode {
  if (matchPath(patterns.overview, pathname)) return <OverviewPage />;
  if (matchPath(patterns.data, pathname)) return <DataPage />;
  if (matchPath(patterns.dataTokens, pathname)) return <TokensPage />; // before /data/:id
  if (matchPath(patterns.dataQa, pathname)) return <QaDraftsPage />;
  const dataset = matchPath(patterns.dataset, pathname);
  if (dataset) return <DatasetPage id={dataset.id} />;
  if (matchPath(patterns.newJob, pathname)) return <NewJobPage />; // before /jobs/:id
  const job = matchPath(patterns.job, pathname);
  if (job) return <JobPage id={job.id} />;
  if (matchPath(patterns.models, pathname)) return <ModelsPage />;
  const model = matchPath(patterns.model, pathname);
  if (model) return <ModelPage id={model.id} />;
  if (matchPath(patterns.keys, pathname)) return <KeysPage />;
  if (matchPath(patterns.notifications, pathname)) return <NotificationsPage />;
  if (matchPath(patterns.connections, pathname)) return <ConnectionsPage />;
  if (matchPath(patterns.playground, pathname)) return <PlaygroundPage />;
  if (matchPath(patterns.evaluations, pathname)) return <EvaluationsPage />;
  const evaluation = matchPath(patterns.evaluation, pathname);
  if (evaluation) return <EvaluationPage id={evaluation.id} />;
  if (matchPath(patterns.compare, pathname)) return <ComparePage />;
  if (matchPath(patterns.benchmarks, pathname)) return <BenchmarksPage />;
  const benchmark = matchPath(patterns.benchmark, pathname);
  if (benchmark) return <BenchmarkPage id={benchmark.id} />;
  return <NotFoundPage />;
}

/** The page for the current URL, loaded on demand. */
export function AppRoutes() {
  const pathname = usePathname();
  return (
    <PageErrorBoundary key={pathname}>
      <Suspense fallback={<Loading />}>{route(pathname)}</Suspense>
    </PageErrorBoundary>
  );
}
