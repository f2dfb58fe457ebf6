/**
 * Every error code Whetstone can report, with its HTTP status and the default hint a person
 * can act on. The worker's codes are generated from this table (worker/whet_worker/schemas/),
 * never retyped.
 */
export const ERROR_CODES = {
  // request shape
  INVALID_REQUEST: { status: 400, hint: 'Fix the fields named in the message and send the request again.' },
  INVALID_HYPERPARAMETER: { status: 400, hint: 'Fix the field the message names: a value in the range it gives, "auto", or leave out a field this method or tuning does not read.' },
  INVALID_JSON: { status: 400, hint: 'Send a valid JSON body with Content-Type: application/json.' },
  NOT_FOUND: { status: 404, hint: 'Check the id; list what exists with the matching GET endpoint.' },
  CONFLICT: { status: 409, hint: 'The resource is in a state that does not allow this action.' },
  UNAUTHORIZED: { status: 401, hint: 'Send an API key as "Authorization: Bearer <key>".' },
  PAYLOAD_TOO_LARGE: { status: 413, hint: 'Split the file, or raise WHET_MAX_UPLOAD_MB on the server.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, hint: 'Send JSON bodies with "Content-Type: application/json" (uploads: multipart/form-data).' },

  // safety: roles, origins, paths
  FORBIDDEN: { status: 403, hint: 'This API key\'s role does not allow the action; ask an admin for a key with the role the message names.' },
  ORIGIN_NOT_ALLOWED: { status: 403, hint: 'Requests that change state must come from the console\'s own origin or from a non-browser client; add the origin\'s host to WHET_ALLOWED_HOSTS if it is yours.' },
  HOST_NOT_ALLOWED: { status: 403, hint: 'Call the server by the address it listens on, or add this host name to WHET_ALLOWED_HOSTS on the server.' },
  PATH_NOT_ALLOWED: { status: 403, hint: 'Put the files under one of the folders in WHET_MODEL_ROOTS, or have the operator add their folder to WHET_MODEL_ROOTS.' },
  CONNECTION_NOT_FOUND: { status: 404, hint: 'Ask an admin to create the connection (POST /api/v1/connections or `whet connections add`), or list them with GET /api/v1/connections.' },
  IN_USE: { status: 409, hint: 'Stop or delete the users listed in details first, or repeat the request with ?force=true to stop them.' },
  CAPACITY_EXCEEDED: { status: 503, hint: 'The server\'s model memory budget is full with busy models; retry after Retry-After seconds, stop a deployment, or raise WHET_MAX_LOADED_MODELS / WHET_MODEL_MEMORY_GB.' },

  // models
  MODEL_NOT_FOUND: { status: 404, hint: 'Register the model first (POST /api/v1/models or `whet models add PATH`), or list models with `whet models list`.' },
  MODEL_PATH_INVALID: { status: 400, hint: 'Give a folder that holds a Hugging Face model: config.json, weights (*.safetensors or *.bin) and tokenizer files.' },
  MODEL_DOWNLOAD_FAILED: { status: 502, hint: 'Check the network and the model id; on an offline machine copy the model folder over and register it by path.' },
  MODEL_UNSUPPORTED: { status: 400, hint: 'Use a causal language model (a *ForCausalLM architecture).' },

  // datasets
  DATASET_NOT_FOUND: { status: 404, hint: 'Upload the dataset first (POST /api/v1/datasets or `whet data upload FILE`), or list datasets with `whet data list`.' },
  DATASET_EMPTY: { status: 400, hint: 'The file holds no samples; upload a file with at least one row.' },
  DATASET_INVALID: { status: 400, hint: 'Fix the lines listed in `errors` and upload again.' },
  DATASET_NOT_READY: { status: 409, hint: 'Wait until the dataset status is "ready"; fix and re-upload an "invalid" one.' },
  DATASET_FORMAT_UNKNOWN: { status: 400, hint: 'Use JSONL with alpaca (instruction/output), sharegpt (conversations) or OpenAI chat (messages) rows.' },
  DATASET_METHOD_MISMATCH: { status: 400, hint: 'Pick the method that trains on this kind of data (sft: instruction chats; pretrain: raw text), or a dataset of the kind the method needs.' },
  DATASET_IN_USE: { status: 409, hint: 'Delete or wait for the jobs that use this dataset first.' },
  DATASET_EMPTY_AFTER_TRUNCATION: { status: 400, hint: 'Raise max_seq_len, or shorten the prompts: every sample\'s answer falls beyond max_seq_len.' },
  ENDPOINT_FAILED: { status: 502, hint: 'Check the endpoint: its base URL (usually ending in /v1), API key and model name; it must answer OpenAI\'s POST /chat/completions.' },
  DOCUMENT_UNREADABLE: { status: 400, hint: 'The document cannot be read: open it in a viewer and save or print it to a new PDF, or convert it to text (.txt), and upload that.' },

  // jobs
  JOB_NOT_FOUND: { status: 404, hint: 'List jobs with `whet jobs list` or GET /api/v1/jobs.' },
  JOB_NOT_RESUMABLE: { status: 409, hint: 'Only paused jobs, or failed/cancelled jobs with a checkpoint, can be resumed.' },
  JOB_STATE_CONFLICT: { status: 409, hint: 'The job is not in a state that allows this action; GET the job to see its status.' },
  WORKER_FAILED: { status: 500, hint: 'Read the job logs (`whet jobs logs ID`); resume from the last checkpoint once the cause is fixed.' },
  WORKER_LOST: { status: 500, hint: 'The worker stopped without a word (server restart or kill). Resume the job: it continues from its last checkpoint.' },
  WORKER_SPEC_INVALID: { status: 500, hint: 'The job spec did not match the worker schema; this is a bug, please report it with the spec.' },
  EXECUTOR_UNAVAILABLE: { status: 400, hint: 'Use executor "local" or "torchrun", or install and configure what the message names (the README\'s "Training on several processes or GPUs").' },
  WORKER_ENV_MISSING: { status: 500, hint: 'Run `npm run setup` to install the Python worker environment (.venv).' },
  OUT_OF_MEMORY: { status: 500, hint: 'Lower batch_size or max_seq_len, or use LoRA instead of full fine-tuning.' },
  CUDA_UNAVAILABLE: { status: 400, hint: 'This option needs an NVIDIA GPU with CUDA; on this machine use fp32 and LoRA, or run on a GPU machine.' },
  TRAINING_DIVERGED: { status: 500, hint: 'The loss became NaN or infinite; lower the learning rate and resume or restart.' },

  // serving and export
  ADAPTER_NOT_FOUND: { status: 404, hint: 'Use a loaded adapter name (GET /health lists them), or load it first with POST /adapters.' },
  ADAPTER_INVALID: { status: 400, hint: 'Give a PEFT adapter folder (adapter_config.json and adapter_model.safetensors) trained on this base model.' },
  CONTEXT_LENGTH_EXCEEDED: { status: 400, hint: 'Shorten the prompt or lower max_tokens so that prompt tokens + max_tokens fit the context length.' },
  GENERATION_FAILED: { status: 500, hint: 'The generation server failed on this request; see the worker log and try again.' },
  EXPORT_FAILED: { status: 500, hint: 'Read the worker log for the cause; check free disk space and that the output path is writable.' },
  EXPORT_UNSUPPORTED: { status: 400, hint: 'GGUF export supports llama and qwen2 architectures; export as "merged" or "peft" for other models.' },
  EXPORT_NOT_FOUND: { status: 404, hint: 'List exports with GET /api/v1/exports, or start one with POST /api/v1/models/{id}/exports (`whet export MODEL`).' },

  // gateway: deployments, keys, backends
  DEPLOYMENT_NOT_FOUND: { status: 404, hint: 'List deployments with GET /api/v1/deployments (or GET /v1/models for every callable model).' },
  DEPLOYMENT_NOT_RUNNING: { status: 409, hint: 'The deployment is stopped or failed; create it again, or GET it to read its error.' },
  BACKEND_UNAVAILABLE: { status: 400, hint: 'Install what the backend needs (vllm: `pip install vllm` on a CUDA machine), or use the torch or llamacpp backend.' },
  GGUF_NOT_FOUND: { status: 400, hint: 'Export the model to GGUF first (`whet export MODEL --format gguf --quantization q8_0`), or give the path of a .gguf file as the model.' },
  QUEUE_FULL: { status: 429, hint: 'The deployment queue is full; retry after the number of seconds in Retry-After, or raise queue_size.' },
  RATE_LIMITED: { status: 429, hint: 'This API key sent more requests per minute than its limit; wait for Retry-After seconds.' },
  REQUEST_TIMEOUT: { status: 504, hint: 'Lower max_tokens, or raise the deployment timeout_s.' },

  INTERNAL: { status: 500, hint: 'An unexpected error; see the server log. Please report it.' },
} as const satisfies Record<string, { status: number; hint: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];
