import type { StreamState } from '../lib/event-stream.ts';
import { useT } from '../lib/i18n.tsx';
import { liveStatusMessages } from './live-status.i18n.ts';

/**
 * Beside a running document's heading: whether its event stream is live, reconnecting, or
 * connecting (also in the moment before the stream first opens).
 */
export function LiveStatus({ state }: { state: StreamState }) {
  const t = useT(liveStatusMessages);
  return (
    <span className={`stream stream-${state}`} role="status">
      {state === 'open' ? t('live') : state === 'retrying' ? t('retrying') : t('connecting')}
    </span>
  );
}
