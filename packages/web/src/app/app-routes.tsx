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

function route(pathname: string): ReactNode {
  if (matchPath(patterns.overview, pathname)) return <OverviewPage />;
  if (matchPath(patterns.data, pathname)) return <DataPage />;
  const job = matchPath(patterns.job, pathname);
  if (job) return <JobPage id={job.id} />;
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
