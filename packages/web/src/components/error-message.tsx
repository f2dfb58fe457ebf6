import { ApiError } from '../lib/api-error.ts';
import { useT } from '../lib/i18n.tsx';
import { errorCodeMessages, errorMessageMessages } from './error-message.i18n.ts';

/**
 * An error where it happened: the code as a translated title, then the server's own message
 * (with its numbers) and hint. Announced to screen readers as an alert.
 */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const tc = useT(errorCodeMessages);
  const t = useT(errorMessageMessages);
  const e = error instanceof ApiError ? error : new ApiError(0, 'BAD_RESPONSE', error instanceof Error ? error.message : String(error));
  const where = [e.line !== undefined ? t('line', { line: e.line }) : null, e.field ? t('field', { field: e.field }) : null].filter(Boolean).join(', ');
  return (
    <div className="error" role="alert" data-error-code={e.code}>
      <strong>{tc(e.code)}</strong>
      {where && <span className="error-where"> ({where})</span>}
      {e.message && (
        <p className="error-detail" translate="no">
          {e.message}
        </p>
      )}
      {e.hint && (
        <p className="error-hint">
          <span className="sr-only">{t('hint')}: </span>
          <span translate="no">{e.hint}</span>
        </p>
      )}
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}
