import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiKeyDialog } from '../components/api-key-dialog.tsx';
import { ApiError } from '../lib/api-error.ts';
import { LocaleProvider } from '../lib/i18n.tsx';
import { AppRoutes } from './app-routes.tsx';
import { Layout } from './layout.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The server's answer is the truth: retry only when it could not be reached or failed.
      retry: (count, error) => count < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      refetchOnWindowFocus: true,
      staleTime: 1000,
    },
  },
});

/** Providers (locale, server state) around the layout and the current page. */
export function App() {
  return (
    <LocaleProvider>
      <QueryClientProvider client={queryClient}>
        <Layout>
          <AppRoutes />
        </Layout>
        <ApiKeyDialog />
      </QueryClientProvider>
    </LocaleProvider>
  );
}
