import { EXECUTORS, type ExecutorName, fieldApplies, METHOD_ONLY_FIELDS, METHODS, STRATEGIES, TUNING_ONLY_FIELDS, TUNINGS, type JobCreate } from '@whetstone/core';
import { buildMixEntries, mixSourcesOf, newMixSource, type MixSource } from './build-mix-request.ts';

export type Tuning = (typeof TUNINGS)[number];
export type Method = (typeof METHODS)[number];
export type Strategy = (typeof STRATEGIES)[number];
/** Devices per worker process the form offers: 0 trains on CPU, 1 gives each process a GPU (the server refuses more). */
export const GPUS_PER_PROCESS = ['0', '1'] as const;

/** The dataset purpose (from its format at upload) each method trains on: the form offers only those. */
export const PURPOSE_OF_METHOD: Record<Method, string> = { sft: 'sft', pretrain: 'pretrain', dpo: 'preference', orpo: 'preference' };

/** A number field that may be left to the server: `auto` true, or the text typed. */
export interface AutoNumber {
  auto: boolean;
  value: string;
}

/** The form as typed; numbers stay text until the request is built. */
export interface NewJobForm {
  name: string;
  model: string;
  dataset: string;
  /** Train on a mix of `sources` rather than the one `dataset`. */
  mix: boolean;
  sources: MixSource[];
  method: Method;
  tuning: Tuning;
  epochs: AutoNumber;
  learning_rate: AutoNumber;
  max_seq_len: AutoNumber;
  lora_r: AutoNumber;
  lora_alpha: AutoNumber;
  lora_dropout: AutoNumber;
  freeze_trainable_layers: AutoNumber;
  num_virtual_tokens: AutoNumber;
  beta: AutoNumber;
  orpo_lambda: AutoNumber;
  batch_size: AutoNumber;
  gradient_accumulation_steps: AutoNumber;
  warmup_steps: AutoNumber;
  early_stopping_patience: AutoNumber;
  /** Pack short samples padding-free into rows of max_seq_len; sent only where it applies. */
  packing: boolean;
  /** Optional: minutes of training; empty for none. */
  budget_minutes: string;
  /** Optional: stop after this many steps; empty for none. */
  max_steps: string;
  /** Where it trains: '' leaves it to the server's settings. */
  executor: ExecutorName | '';
  /** Optional: worker processes per node; empty for the server's setting. */
  processes: string;
  /** Optional: an absolute folder every node sees, for the job's files; empty for the server's setting. */
  shared_path: string;
  /** ddp or fsdp; '' for the server's setting. Sent only with several processes (takesStrategy). */
  strategy: Strategy | '';
  /** '0' (CPU) or '1' (a GPU a process); '' for the server's setting. Sent only with several processes. */
  gpus_per_process: (typeof GPUS_PER_PROCESS)[number] | '';
}

export const AUTO: AutoNumber = { auto: true, value: '' };

export function emptyForm(init: Partial<NewJobForm> = {}): NewJobForm {
  return {
    name: '',
    model: '',
    dataset: '',
    mix: false,
    sources: [newMixSource(), newMixSource()],
    method: 'sft',
    tuning: 'lora',
    epochs: AUTO,
    learning_rate: AUTO,
    max_seq_len: AUTO,
    lora_r: AUTO,
    lora_alpha: AUTO,
    lora_dropout: AUTO,
    freeze_trainable_layers: AUTO,
    num_virtual_tokens: AUTO,
    beta: AUTO,
    orpo_lambda: AUTO,
    batch_size: AUTO,
    gradient_accumulation_steps: AUTO,
    warmup_steps: AUTO,
    early_stopping_patience: AUTO,
    packing: false,
    budget_minutes: '',
    max_steps: '',
    executor: '',
    processes: '',
    shared_path: '',
    strategy: '',
    gpus_per_process: '',
    ...init,
  };
}

/** The numbers the form offers that only some tunings or methods read; core's table says which. */
const SOME_JOBS_NUMBERS = ['lora_r', 'lora_alpha', 'lora_dropout', 'freeze_trainable_layers', 'num_virtual_tokens', 'beta', 'orpo_lambda'] as const;
type SomeJobsNumber = (typeof SOME_JOBS_NUMBERS)[number];

/** Those numbers this tuning takes besides the common ones. */
export function tuningFields(tuning: Tuning): SomeJobsNumber[] {
  return SOME_JOBS_NUMBERS.filter((k) => TUNING_ONLY_FIELDS[k]?.includes(tuning));
}

/** Those numbers this method takes besides the common ones. */
export function methodFields(method: Method): SomeJobsNumber[] {
  return SOME_JOBS_NUMBERS.filter((k) => METHOD_ONLY_FIELDS[k]?.includes(method));
}

/** How the updates are made and when training stops, for every tuning (the auto plan: plan-updates.ts on the server). */
export const SCHEDULE_FIELDS = ['batch_size', 'gradient_accumulation_steps', 'warmup_steps', 'early_stopping_patience'] as const;

/**
 * Whether the executor runs several processes, so that strategy and devices per process mean
 * something: torchrun and ray. The form shows and sends them only then ('' leaves the executor,
 * and with it these, to the server's settings).
 */
export function takesStrategy(executor: NewJobForm['executor']): boolean {
  return executor === 'torchrun' || executor === 'ray';
}

/** Text as the number it spells; anything else goes to the server as typed, so its check names the field. */
function numberOr(text: string): number | string {
  const t = text.trim();
  if (t === '') return t;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/**
 * The JSON body of `POST /api/v1/jobs` for the form: "auto" where the person left it to the
 * server, their number otherwise; only the fields of the chosen method and tuning; optional ones
 * (packing among them) when set.
 * Nothing is validated here: the server checks every field and names each one that is wrong.
 */
export function buildJobRequest(form: NewJobForm): JobCreate {
  const hp: Record<string, unknown> = {};
  const put = (key: keyof NewJobForm & string, v: AutoNumber) => {
    hp[key] = v.auto ? 'auto' : numberOr(v.value);
  };
  put('epochs', form.epochs);
  put('learning_rate', form.learning_rate);
  put('max_seq_len', form.max_seq_len);
  for (const k of tuningFields(form.tuning)) put(k, form[k]);
  for (const k of methodFields(form.method)) put(k, form[k]);
  // Left to the plan unless typed (absent is auto for these, and older requests stay the same).
  for (const k of SCHEDULE_FIELDS) if (!form[k].auto) put(k, form[k]);
  if (form.max_steps.trim() !== '') hp.max_steps = numberOr(form.max_steps);
  // Left out when off (the server's default) or when the method or tuning never reads it, so a box
  // ticked before switching to pretrain is not refused.
  if (form.packing && fieldApplies('packing', form.method, form.tuning)) hp.packing = true;
  const body: Record<string, unknown> = {
    model: form.model,
    ...(form.mix ? { datasets: buildMixEntries(form.sources).datasets } : { dataset: form.dataset }),
    method: form.method,
    tuning: form.tuning,
    hyperparameters: hp,
  };
  if (form.name.trim()) body.name = form.name.trim();
  if (form.budget_minutes.trim() !== '') body.budget = { minutes: numberOr(form.budget_minutes) };
  const resources = {
    ...(form.executor ? { executor: form.executor } : {}),
    ...(form.processes.trim() !== '' ? { processes_per_node: numberOr(form.processes) } : {}),
    ...(form.shared_path.trim() !== '' ? { shared_path: form.shared_path.trim() } : {}),
    ...(takesStrategy(form.executor) && form.gpus_per_process !== '' ? { gpus_per_process: Number(form.gpus_per_process) } : {}),
    ...(takesStrategy(form.executor) && form.strategy !== '' ? { strategy: form.strategy } : {}),
  };
  if (Object.keys(resources).length) body.resources = resources;
  return body as JobCreate;
}

/** Form fields a server error may name (`field`, or each of `details[].path`). */
const FORM_FIELDS = ['name', 'model', 'dataset', 'method', 'tuning', 'epochs', 'learning_rate', 'max_seq_len', 'lora_r', 'lora_alpha', 'lora_dropout', 'freeze_trainable_layers', 'num_virtual_tokens', 'beta', 'orpo_lambda', ...SCHEDULE_FIELDS, 'packing', 'budget_minutes', 'max_steps', 'executor', 'processes', 'shared_path', 'strategy', 'gpus_per_process'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** The form field for each `resources.*` a server error names; the rest (nodes) goes under the executor. */
const RESOURCE_FIELDS: Partial<Record<string, FormField>> = { processes_per_node: 'processes', shared_path: 'shared_path', strategy: 'strategy', gpus_per_process: 'gpus_per_process' };

/** The form field a server path names: `hyperparameters.lora_r` → lora_r, `budget.minutes` → budget_minutes; null when none. */
export function formFieldOf(path: string | undefined): FormField | null {
  if (!path) return null;
  const parts = path.split('.');
  if (parts[0] === 'budget') return 'budget_minutes';
  if (parts[0] === 'datasets') return 'dataset';
  if (parts[0] === 'resources') return RESOURCE_FIELDS[parts[1] ?? ''] ?? 'executor';
  const key = parts[0] === 'hyperparameters' ? parts[1] : parts[0];
  return (FORM_FIELDS as readonly string[]).includes(key ?? '') ? (key as FormField) : null;
}

/**
 * Each field a server error names, with the message for it: every zod issue in `details`
 * (`{path, message}`), else the error's one `field` with its message.
 */
export function fieldErrors(error: { field?: string; message: string; details?: unknown } | null): Partial<Record<FormField, string>> {
  if (!error) return {};
  const out: Partial<Record<FormField, string>> = {};
  const details = Array.isArray(error.details) ? (error.details as { path?: unknown; message?: unknown }[]) : [];
  for (const d of details) {
    const f = formFieldOf(typeof d.path === 'string' ? d.path : undefined);
    if (f && typeof d.message === 'string') out[f] = out[f] ? `${out[f]}; ${d.message}` : d.message;
  }
  if (Object.keys(out).length === 0) {
    const f = formFieldOf(error.field);
    if (f) out[f] = error.message;
  }
  return out;
}

/**
 * The form for a request a job was created with (cloning a job): its model, dataset, method, tuning,
 * each number as given ("auto" or absent stays auto), packing, the budget in minutes, max_steps and where it
 * trains (executor, processes per node, shared folder, strategy, devices per process). A mix
 * of datasets comes back as the mix builder's rows; the name is left for the new job.
 */
export function formFromRequest(request: unknown): NewJobForm {
  const r = (request ?? {}) as Partial<Record<string, unknown>>;
  const hp = (r.hyperparameters && typeof r.hyperparameters === 'object' ? r.hyperparameters : {}) as Record<string, unknown>;
  const given = (k: string): AutoNumber => (typeof hp[k] === 'number' ? { auto: false, value: String(hp[k]) } : AUTO);
  const sources = mixSourcesOf(r.datasets);
  const budget = (r.budget ?? {}) as { minutes?: unknown };
  const resources = (r.resources ?? {}) as { executor?: unknown; processes_per_node?: unknown; shared_path?: unknown; strategy?: unknown; gpus_per_process?: unknown };
  const tuning = TUNINGS.find((t) => t === r.tuning) ?? 'lora';
  const method = METHODS.find((m) => m === r.method) ?? 'sft';
  return emptyForm({
    model: typeof r.model === 'string' ? r.model : '',
    dataset: typeof r.dataset === 'string' ? r.dataset : (sources[0]?.dataset ?? ''),
    ...(sources.length > 0 ? { mix: true, sources } : {}),
    method,
    tuning,
    epochs: given('epochs'),
    learning_rate: given('learning_rate'),
    max_seq_len: given('max_seq_len'),
    lora_r: given('lora_r'),
    lora_alpha: given('lora_alpha'),
    lora_dropout: given('lora_dropout'),
    freeze_trainable_layers: given('freeze_trainable_layers'),
    num_virtual_tokens: given('num_virtual_tokens'),
    beta: given('beta'),
    orpo_lambda: given('orpo_lambda'),
    ...Object.fromEntries(SCHEDULE_FIELDS.map((k) => [k, given(k)])),
    packing: hp.packing === true,
    budget_minutes: typeof budget.minutes === 'number' ? String(budget.minutes) : '',
    max_steps: typeof hp.max_steps === 'number' ? String(hp.max_steps) : '',
    executor: EXECUTORS.find((e) => e === resources.executor) ?? '',
    processes: typeof resources.processes_per_node === 'number' ? String(resources.processes_per_node) : '',
    shared_path: typeof resources.shared_path === 'string' ? resources.shared_path : '',
    strategy: STRATEGIES.find((s) => s === resources.strategy) ?? '',
    gpus_per_process: GPUS_PER_PROCESS.find((g) => g === String(resources.gpus_per_process)) ?? '',
  });
}
