import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { uploadWithProgress } from '../../../lib/upload-with-progress.ts';
import { datasetKeys, type Dataset } from './use-datasets.ts';

export interface UploadProgress {
  name: string;
  loaded: number;
  total: number;
}

/** Upload a file as a dataset (`POST /api/v1/datasets`, multipart) with its progress. */
export function useUploadDataset() {
  const qc = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const mutation = useMutation({
    mutationFn: async ({ file, keepGoodRows }: { file: File; keepGoodRows: boolean }) => {
      const form = new FormData();
      form.set('file', file, file.name);
      if (keepGoodRows) form.set('keep_good_rows', 'true');
      setProgress({ name: file.name, loaded: 0, total: file.size });
      try {
        const { body } = await uploadWithProgress('/api/v1/datasets', form, (loaded, total) => setProgress({ name: file.name, loaded, total: total || file.size }));
        return body as Dataset;
      } finally {
        setProgress(null);
      }
    },
    onSuccess: (d) => {
      qc.setQueryData(datasetKeys.detail(d.id), d);
      void qc.invalidateQueries({ queryKey: datasetKeys.list() });
    },
  });
  return { ...mutation, progress };
}
