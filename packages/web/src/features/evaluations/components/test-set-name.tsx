import { useT } from '../../../lib/i18n.tsx';
import { useDatasetOptions } from '../api/use-evaluation-options.ts';
import type { Evaluation } from '../api/evaluation-types.ts';
import { evaluationsMessages } from '../evaluations.i18n.ts';

/** The test set by name: the dataset's, or the job whose held-out split it is. */
export function TestSetName({ dataset }: { dataset: Evaluation['dataset'] }) {
  const t = useT(evaluationsMessages);
  const datasets = useDatasetOptions();
  if (dataset.source === 'job') {
    return (
      <span>
        {t('job')} <span translate="no">{dataset.id}</span>
      </span>
    );
  }
  const name = datasets.data?.find((d) => d.id === dataset.id)?.name ?? dataset.id;
  return <span translate="no">{name}</span>;
}
