import type { DeploymentStatus } from '@whetstone/core';
import { Badge, type Tone } from '../../../components/badge.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useDeployments } from '../api/use-deployments.ts';
import { deploymentStatusMessages, deploymentsMessages } from '../deployments.i18n.ts';

const TONES: Record<DeploymentStatus, Tone> = { loading: 'info', ready: 'success', stopped: 'neutral', failed: 'danger' };

/** Deployments: name clients call, backend, status, endpoint and queue. */
export function DeploymentList() {
  const t = useT(deploymentsMessages);
  const ts = useT(deploymentStatusMessages);
  const q = useDeployments();
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  if (q.data.length === 0) return <p className="muted">{t('empty')}</p>;
  return (
    <table className="table">
      <caption className="sr-only">{t('title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('name')}</th>
          <th scope="col">{t('backend')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('endpoint')}</th>
          <th scope="col">{t('queue')}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.map((d) => (
          <tr key={d.id}>
            <td translate="no">{d.name}</td>
            <td translate="no">{d.backend}</td>
            <td>
              <Badge tone={TONES[d.status]}>{ts(d.status)}</Badge>
            </td>
            <td>
              <code translate="no">{d.endpoint}</code>
            </td>
            <td>{d.queue ? t('queueValue', { running: d.queue.running, queued: d.queue.queued }) : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
