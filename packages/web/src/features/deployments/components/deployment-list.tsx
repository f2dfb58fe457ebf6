import type { DeploymentStatus } from '@whetstone/core';
import { Badge, type Tone } from '../../../components/badge.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { storedError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { useDeploymentAction, useDeployments, type Deployment } from '../api/use-deployments.ts';
import { deploymentStatusMessages, deploymentsMessages } from '../deployments.i18n.ts';
import { DeploymentSnippets } from './deployment-snippets.tsx';

const TONES: Record<DeploymentStatus, Tone> = { loading: 'info', ready: 'success', stopped: 'neutral', failed: 'danger' };

/**
 * Deployments: name clients call, backend, status, endpoint and queue. With `modelId` only that
 * model's (served or as adapter); `manage` adds stop and delete, and how to call each ready one.
 */
export function DeploymentList({ modelId, manage = false }: { modelId?: string; manage?: boolean }) {
  const t = useT(deploymentsMessages);
  const ts = useT(deploymentStatusMessages);
  const q = useDeployments();
  const action = useDeploymentAction();
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  const rows = modelId ? q.data.filter((d) => d.model_id === modelId || d.adapter_id === modelId) : q.data;
  if (rows.length === 0) return <p className="muted">{t(modelId ? 'emptyForModel' : 'empty')}</p>;
  const act = (d: Deployment, kind: 'stop' | 'delete') => {
    if (window.confirm(t(kind === 'stop' ? 'confirmStop' : 'confirmDelete', { name: d.name }))) action.mutate({ id: d.id, action: kind });
  };
  return (
    <>
      <table className="table">
        <caption className="sr-only">{t('title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('backend')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('endpoint')}</th>
            <th scope="col">{t('queue')}</th>
            {manage && <th scope="col">{t('actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-deployment-id={d.id} data-status={d.status}>
              <td>
                <span translate="no">{d.name}</span>
                {d.labels?.length ? <div className="small-text muted">{t('labelsValue', { labels: d.labels.join(', ') })}</div> : null}
              </td>
              <td translate="no">{d.backend}{d.dtype && d.dtype !== 'auto' ? ` ${d.dtype}` : ''}</td>
              <td>
                <Badge tone={TONES[d.status]}>{ts(d.status)}</Badge>
                {d.error && <ErrorMessage error={storedError(d.error)} />}
              </td>
              <td>
                <code translate="no">{d.endpoint}</code>
              </td>
              <td>{d.queue ? t('queueValue', { running: d.queue.running, queued: d.queue.queued }) : '–'}</td>
              {manage && (
                <td>
                  <div className="actions">
                    {(d.status === 'ready' || d.status === 'loading') && (
                      <button type="button" className="button small" onClick={() => act(d, 'stop')} disabled={action.isPending} aria-label={`${t('stop')} ${d.name}`}>
                        {t('stop')}
                      </button>
                    )}
                    <button type="button" className="button small danger" onClick={() => act(d, 'delete')} disabled={action.isPending} aria-label={`${t('delete')} ${d.name}`}>
                      {t('delete')}
                    </button>
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {action.error && <ErrorMessage error={action.error} />}
      {manage &&
        rows
          .filter((d) => d.status === 'ready' || d.status === 'loading')
          .map((d) => (
            <div key={d.id} className="snippet-block">
              <h3>{t('snippetsTitle', { name: d.name })}</h3>
              <DeploymentSnippets name={d.name} />
            </div>
          ))}
    </>
  );
}
