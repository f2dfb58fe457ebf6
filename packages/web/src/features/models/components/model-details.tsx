import { useState, type ReactNode } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { paths } from '../../../config/paths.ts';
import { ApiError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link, navigate } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useChatTemplate, useDeleteModel, useModelJobs, type Model } from '../api/use-models.ts';
import { modelDetailsMessages, modelsMessages } from '../models.i18n.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';

/** The model's heading and facts: architecture, size, context length, chat template. */
export function ModelFacts({ model }: { model: Model }) {
  const t = useT(modelDetailsMessages);
  const tm = useT(modelsMessages);
  const f = useFormatters();
  useDocumentTitle(`${t('heading')} ${model.name}`);
  const facts: [string, ReactNode][] = [
    [tm('kind'), tm(model.kind)],
    [tm('architecture'), <span translate="no">{model.architecture ?? '–'}</span>],
    [t('modelType'), <span translate="no">{model.model_type ?? '–'}</span>],
    [tm('params'), <span translate="no">{model.params === null ? '–' : `${f.compact(model.params)} (${f.number(model.params)})`}</span>],
    [tm('context'), <span translate="no">{model.context_length === null ? '–' : f.number(model.context_length)}</span>],
    [t('layers'), <span translate="no">{model.num_layers ?? '–'}</span>],
    [tm('source'), tm(model.source)],
    [t('createdAt'), f.dateTime(model.created_at)],
    [t('chatTemplate'), model.has_chat_template ? t('hasTemplate') : t('noTemplate')],
  ];
  if (model.hub_id) facts.push([t('hubId'), <span translate="no">{model.hub_id}</span>]);
  if (model.base_model_id) facts.push([t('baseModel'), <Link href={paths.model(model.base_model_id)} translate="no">{model.base_model_id}</Link>]);
  if (model.job_id) facts.push([tm('job'), <Link href={paths.job(model.job_id)} translate="no">{model.job_id}</Link>]);
  return (
    <>
      <p>
        <Link href={paths.models()}>{t('back')}</Link>
      </p>
      <div className="page-head">
        <h1>
          {t('heading')} <span translate="no">{model.name}</span>
        </h1>
      </div>
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <p className="small-text muted">
        {t('path')}: <code translate="no">{model.path}</code>
      </p>
      {model.has_chat_template && <ChatTemplate model={model} />}
    </>
  );
}

/** The chat template, collapsed; its text loads when opened. */
function ChatTemplate({ model }: { model: Model }) {
  const t = useT(modelDetailsMessages);
  const [open, setOpen] = useState(false);
  const q = useChatTemplate(model.id, open);
  return (
    <details className="chat-template" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('showTemplate')}</summary>
      {q.error && <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />}
      {open && !q.data && !q.error && <Loading />}
      {q.data && (
        <>
          {q.data.file && <p className="small-text muted">{t('templateFile', { file: q.data.file })}</p>}
          <pre className="code" translate="no" tabIndex={0} data-testid="chat-template">
            {q.data.template ?? ''}
          </pre>
        </>
      )}
    </details>
  );
}

/** Shown when the id names no model (deleted, or a wrong link). */
export function ModelNotFound({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useT(modelDetailsMessages);
  if (error instanceof ApiError && error.code === 'MODEL_NOT_FOUND') {
    return (
      <>
        <h1>{t('heading')}</h1>
        <p className="muted">{t('notFound')}</p>
        <p>
          <Link href={paths.models()}>{t('back')}</Link>
        </p>
      </>
    );
  }
  return <ErrorMessage error={error} onRetry={retry} />;
}

/** The jobs that trained on this model, or produced it. */
export function ModelJobs({ model }: { model: Model }) {
  const t = useT(modelDetailsMessages);
  const q = useModelJobs(model);
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  if (q.data.length === 0) return <p className="muted">{t('noJobs')}</p>;
  return (
    <table className="table">
      <caption className="sr-only">{t('jobs')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('jobName')}</th>
          <th scope="col">{t('jobRole')}</th>
          <th scope="col">{t('jobStatus')}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.map((j) => (
          <tr key={j.id}>
            <td translate="no">
              <Link href={paths.job(j.id)}>{j.name}</Link>
            </td>
            <td>{j.model_id === model.id ? t('trainedOn') : t('produced')}</td>
            <td translate="no">{j.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface ModelUser {
  kind: 'deployment' | 'export' | 'job' | 'evaluation';
  id: string;
  status: string;
}
const USER_LABEL = { deployment: 'userDeployment', export: 'userExport', job: 'userJob', evaluation: 'userEvaluation' } as const;

/** Users listed by a 409 IN_USE answer (`details.users`). */
function inUseUsers(error: unknown): ModelUser[] {
  if (!(error instanceof ApiError) || error.code !== 'IN_USE') return [];
  const users = (error.details as { users?: ModelUser[] } | undefined)?.users;
  return Array.isArray(users) ? users : [];
}

/** Delete the registration; a 409 lists what uses it, with a forced delete that stops them. */
export function ModelDelete({ model }: { model: Model }) {
  const t = useT(modelDetailsMessages);
  const del = useDeleteModel();
  const users = inUseUsers(del.error);
  const run = (force: boolean) => {
    if (!window.confirm(t(force ? 'confirmForce' : 'confirmDelete', { name: model.name }))) return;
    del.mutate({ id: model.id, force }, { onSuccess: () => navigate(paths.models()) });
  };
  return (
    <div className="danger-zone">
      <p className="small-text muted">{t('deleteExplain')}</p>
      <button type="button" className="button danger" onClick={() => run(false)} disabled={del.isPending}>
        {del.isPending ? t('deleting') : t('delete')}
      </button>
      {del.error && <ErrorMessage error={del.error} />}
      {users.length > 0 && (
        <div data-testid="in-use">
          <p>{t('inUse')}</p>
          <ul>
            {users.map((u) => (
              <li key={`${u.kind}-${u.id}`}>
                {t(USER_LABEL[u.kind])} <code translate="no">{u.id}</code> <span translate="no">({u.status})</span>
              </li>
            ))}
          </ul>
          <button type="button" className="button danger" onClick={() => run(true)} disabled={del.isPending}>
            {t('forceDelete')}
          </button>
        </div>
      )}
    </div>
  );
}
