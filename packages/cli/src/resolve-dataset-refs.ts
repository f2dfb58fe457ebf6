import { type Dataset, isWhetError, WhetError } from '@whetstone/core';
import type { ApiClient } from './client.ts';
import type { DataRequest } from './parse-data-options.ts';

/**
 * Turn dataset names into ids: the job API takes dataset ids only, while users know their
 * datasets by name. A ref that is an id stays as it is; a name held by one dataset becomes its
 * id; a name held by several is refused; an unknown ref goes on unchanged, for the server to
 * report. Two refs that name the same dataset are refused.
 */
export async function resolveDatasetRefs(api: ApiClient, req: DataRequest): Promise<DataRequest> {
  let all: Dataset[] | undefined;
  const resolve = async (ref: string, flag: string): Promise<string> => {
    try {
      return (await api.get<Dataset>(`/datasets/${encodeURIComponent(ref)}`)).id;
    } catch (e) {
      if (!isWhetError(e) || e.code !== 'DATASET_NOT_FOUND') throw e;
    }
    all ??= (await api.get<{ data: Dataset[] }>('/datasets')).data;
    const named = all.filter((d) => d.name === ref);
    if (named.length > 1) {
      throw new WhetError('INVALID_REQUEST', `${flag} "${ref}": ${named.length} datasets have this name: ${named.map((d) => `${d.id} (${d.status}, ${d.rows} rows)`).join(', ')}`, {
        field: flag.replace(/^--/, ''),
        hint: 'Give the dataset id instead (see `whet data list`).',
      });
    }
    return named[0]?.id ?? ref;
  };
  const out: DataRequest = { ...req };
  if (req.dataset !== undefined) out.dataset = await resolve(req.dataset, '--data');
  if (req.datasets) {
    const ids: string[] = [];
    for (const entry of req.datasets) ids.push(await resolve(entry.id, '--data'));
    ids.forEach((id, i) => {
      const first = ids.indexOf(id);
      if (first < i) {
        throw new WhetError('INVALID_REQUEST', `--data "${req.datasets![first]!.id}" and --data "${req.datasets![i]!.id}" are the same dataset (${id}); put each dataset in the mix once`, {
          field: `datasets.${i}.id`,
          hint: 'Give each dataset once, with the weight (w=) or number of samples (n=) it should have.',
        });
      }
    });
    out.datasets = req.datasets.map((entry, i) => ({ ...entry, id: ids[i]! }));
  }
  if (req.validation_dataset !== undefined) out.validation_dataset = await resolve(req.validation_dataset, '--validation-data');
  return out;
}
