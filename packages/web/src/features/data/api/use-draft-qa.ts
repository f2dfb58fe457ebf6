import { useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { QaDraftRequest } from '@whetstone/core';
import type { api, Ok } from '../../../lib/api-client.ts';
import { uploadWithProgress } from '../../../lib/upload-with-progress.ts';

export type QaDraftResponse = Ok<Awaited<ReturnType<(typeof api.datasets)['qa-drafts']['$post']>>>;

/** Where a draft run is: sending the document (bytes), then waiting while the model writes pairs. */
export type DraftPhase = { phase: 'uploading'; loaded: number; total: number } | { phase: 'drafting'; since: number };

/** The form's fields, as the route reads them from the multipart body (QaDraftRequestSchema). */
export type QaDraftFields = Pick<QaDraftRequest, 'model' | 'connection'> & { chunk_chars: number; pairs_per_chunk: number };

/**
 * `POST /api/v1/datasets/qa-drafts` (multipart): the route answers once, when every chunk is
 * drafted, so progress is the upload's bytes and then an open-ended wait; `cancel` stops both.
 */
export function useDraftQa() {
  const [progress, setProgress] = useState<DraftPhase | null>(null);
  const abort = useRef<AbortController | null>(null);
  const mutation = useMutation({
    mutationFn: async ({ file, fields }: { file: File; fields: QaDraftFields }) => {
      const form = new FormData();
      form.set('file', file, file.name);
      for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.set(k, String(v));
      abort.current = new AbortController();
      setProgress({ phase: 'uploading', loaded: 0, total: file.size });
      try {
        const { body } = await uploadWithProgress(
          '/api/v1/datasets/qa-drafts',
          form,
          (loaded, total) => setProgress(total && loaded >= total ? { phase: 'drafting', since: Date.now() } : { phase: 'uploading', loaded, total: total || file.size }),
          abort.current.signal,
        );
        return body as QaDraftResponse;
      } finally {
        setProgress(null);
        abort.current = null;
      }
    },
  });
  const cancel = () => {
    abort.current?.abort();
    mutation.reset(); // a cancelled run is no error to show
  };
  return { ...mutation, progress, cancel };
}
