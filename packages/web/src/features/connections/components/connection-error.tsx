import { ErrorMessage } from '../../../components/error-message.tsx';
import { ApiError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { connectionsMessages } from '../connections.i18n.ts';

/** A failed change; a 403 first says in the reader's language that only admins may do it, then the server's message and hint. */
export function ConnectionError({ error }: { error: unknown }) {
  const t = useT(connectionsMessages);
  if (error instanceof ApiError && error.code === 'FORBIDDEN') {
    return (
      <div className="admins-only" data-testid="admins-only">
        <p>
          <strong>{t('forbiddenTitle')}</strong>: {t('forbidden')}
        </p>
        <ErrorMessage error={error} />
      </div>
    );
  }
  return <ErrorMessage error={error} />;
}
