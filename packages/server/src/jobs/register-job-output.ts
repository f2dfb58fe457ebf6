import type { Job, Model, WorkerEvent } from '@whetstone/core';
import { newId, nowIso } from '../ids.ts';
import type { Store } from '../store/store.ts';

/** A finished job's adapter or weights become a model, with its base and job as lineage. */
export function registerJobOutput(store: Store, job: Job, result: Extract<WorkerEvent, { type: 'result' }>): Model {
  const base = store.getModel(job.model_id);
  let name = job.name;
  for (let i = 2; store.getModel(name); i++) name = `${job.name}-${i}`;
  const model: Model = {
    id: newId('mdl'),
    name,
    source: 'job',
    path: result.output_path,
    hub_id: null,
    kind: result.kind,
    architecture: base?.architecture ?? null,
    model_type: base?.model_type ?? null,
    params: result.kind === 'adapter' ? result.trainable_params : result.total_params,
    context_length: base?.context_length ?? null,
    num_layers: base?.num_layers ?? null,
    has_chat_template: base?.has_chat_template ?? false,
    base_model_id: job.model_id,
    job_id: job.id,
    label_set: job.label_set ?? null, // what it was trained to answer: serving may constrain answers to it
    created_at: nowIso(),
  };
  store.insertModel(model);
  return model;
}
