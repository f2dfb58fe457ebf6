import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { QaDatasetCreate } from '@whetstone/core';
import { api, unwrap } from '../../../lib/api-client.ts';
import { datasetKeys, type Dataset } from './use-datasets.ts';

/** Reviewed pairs saved as a chat dataset (`POST /api/v1/datasets/from-qa`), validated like any upload. */
export function useSaveQaDataset() {
  const qc = useQueryClient();
  return useMutation({
    // The route parses its body by hand (no validator), so the client's types do not list `json`.
    mutationFn: (body: QaDatasetCreate) => unwrap(api.datasets['from-qa'].$post({ json: body } as never)) as Promise<Dataset>,
    onSuccess: (d) => {
      qc.setQueryData(datasetKeys.detail(d.id), d);
      void qc.invalidateQueries({ queryKey: datasetKeys.list() });
    },
  });
}
