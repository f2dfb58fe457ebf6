import { Loading } from '../../components/loading.tsx';
import { Section } from '../../components/section.tsx';
import { DeployForm } from '../../features/deployments/components/deploy-form.tsx';
import { DeploymentList } from '../../features/deployments/components/deployment-list.tsx';
import { deploymentsMessages } from '../../features/deployments/deployments.i18n.ts';
import { rememberedLabels } from '../../features/deployments/lib/remembered-labels.ts';
import { useModel } from '../../features/models/api/use-models.ts';
import { ModelDelete, ModelFacts, ModelJobs, ModelNotFound } from '../../features/models/components/model-details.tsx';
import { ModelEvaluations } from '../../features/models/components/model-evaluations.tsx';
import { ModelExports } from '../../features/models/components/model-exports.tsx';
import { exportMessages, modelDetailsMessages } from '../../features/models/models.i18n.ts';
import { useT } from '../../lib/i18n.tsx';

/** One model: its facts, the jobs and evaluations that use it, export, deploy (with how to call it) and delete. */
export default function ModelPage({ id }: { id: string }) {
  const t = useT(modelDetailsMessages);
  const te = useT(exportMessages);
  const td = useT(deploymentsMessages);
  const q = useModel(id);
  if (q.error) return <ModelNotFound error={q.error} retry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  const model = q.data;
  return (
    <>
      <ModelFacts model={model} />
      <Section title={td('title')} id="deployments">
        <DeployForm model={model.id} rememberedLabels={rememberedLabels(model)} />
        <DeploymentList modelId={model.id} manage />
      </Section>
      <Section title={te('title')} id="exports">
        <ModelExports model={model} />
      </Section>
      <Section title={t('jobs')} id="jobs">
        <ModelJobs model={model} />
      </Section>
      <Section title={t('evaluations')} id="evaluations">
        <ModelEvaluations model={model} />
      </Section>
      <Section title={t('delete')} id="delete">
        <ModelDelete model={model} />
      </Section>
    </>
  );
}
