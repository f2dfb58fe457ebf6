import { ApiError } from '../lib/api-error.ts';
import { Link } from '../lib/router.tsx';
import { ErrorMessage } from './error-message.tsx';

/** A detail page whose document did not load: its heading, `notFound` on a 404, the error with a retry, the way back to the list. */
export function DetailLoadError({ heading, error, onRetry, notFound, back }: { heading: string; error: unknown; onRetry(): void; notFound: string; back: { href: string; label: string } }) {
  const gone = error instanceof ApiError && error.status === 404;
  return (
    <>
      <h1>{heading}</h1>
      {gone && <p>{notFound}</p>}
      <ErrorMessage error={error} onRetry={onRetry} />
      <Link href={back.href}>{back.label}</Link>
    </>
  );
}
