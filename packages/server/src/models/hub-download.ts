import { mkdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WhetError } from '@whetstone/core';

/** Files a training run needs; other files (onnx, gguf, flax...) are skipped. */
const WANTED = /^(config\.json|generation_config\.json|tokenizer\.json|tokenizer_config\.json|tokenizer\.model|special_tokens_map\.json|vocab\.json|merges\.txt|chat_template\.(jinja|json)|added_tokens\.json|model.*\.safetensors(\.index\.json)?)$/;

export type HubSource = 'hub' | 'modelscope';

interface HubApi {
  listFiles(id: string, revision: string): Promise<string[]>;
  fileUrl(id: string, revision: string, file: string): string;
}

function hubApi(source: HubSource, env: NodeJS.ProcessEnv): HubApi {
  if (source === 'modelscope') {
    const base = (env.MODELSCOPE_ENDPOINT ?? 'https://www.modelscope.cn').replace(/\/$/, '');
    return {
      async listFiles(id, revision) {
        const body = (await getJson(`${base}/api/v1/models/${id}/repo/files?Revision=${revision}&Recursive=true`)) as {
          Data?: { Files?: { Path: string; Type: string }[] };
        };
        return (body.Data?.Files ?? []).filter((f) => f.Type === 'blob').map((f) => f.Path);
      },
      fileUrl: (id, revision, file) => `${base}/api/v1/models/${id}/repo?Revision=${revision}&FilePath=${encodeURIComponent(file)}`,
    };
  }
  const base = (env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/$/, '');
  const headers: Record<string, string> = env.HF_TOKEN ? { authorization: `Bearer ${env.HF_TOKEN}` } : {};
  return {
    async listFiles(id, revision) {
      const body = (await getJson(`${base}/api/models/${id}/revision/${revision}`, headers)) as { siblings?: { rfilename: string }[] };
      return (body.siblings ?? []).map((s) => s.rfilename);
    },
    fileUrl: (id, revision, file) => `${base}/${id}/resolve/${revision}/${file}`,
  };
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetchOrExplain(url, headers);
  return res.json();
}

async function fetchOrExplain(url: string, headers: Record<string, string> = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new WhetError('MODEL_DOWNLOAD_FAILED', `cannot reach ${new URL(url).host}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  if (!res.ok) {
    const hint = res.status === 401 || res.status === 403 ? 'The model is gated or private: set HF_TOKEN on the server.' : undefined;
    throw new WhetError('MODEL_DOWNLOAD_FAILED', `${url} answered HTTP ${res.status}`, { hint });
  }
  return res;
}

/**
 * Why a listed file name may not be written under `folder`, or null when it is a plain relative
 * name: a hub's listing comes from the network, and a hostile mirror could otherwise name
 * `model/../../x.safetensors` (WANTED matches it) or an absolute path and write anywhere.
 */
function unsafeName(name: string, folder: string): string | null {
  if (name.includes('\0')) return 'holds a NUL byte';
  if (name.includes('\\')) return 'holds a backslash';
  if (isAbsolute(name)) return 'is absolute';
  const segments = name.split('/');
  if (segments.includes('..')) return 'holds a ".." segment';
  if (segments.some((s) => s === '' || s === '.')) return 'holds an empty or "." segment';
  return resolve(folder, name).startsWith(resolve(folder) + sep) ? null : 'lands outside the download folder';
}

/**
 * Download a model snapshot (config, tokenizer, safetensors) into `dest`, through a temp
 * folder renamed at the end so a failed download leaves nothing behind.
 */
export async function downloadModel(source: HubSource, id: string, revision: string, dest: string, env = process.env): Promise<void> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(id) || id.split('/').some((s) => /^\.+$/.test(s))) {
    throw new WhetError('INVALID_REQUEST', `"${id}" is not a model id of the form owner/name`, { field: 'hub_id' });
  }
  const api = hubApi(source, env);
  const tmp = `${dest}.part-${process.pid}`;
  const listed = await api.listFiles(id, revision);
  // Every listed name is checked, wanted or not, before anything is written.
  for (const f of listed) {
    const why = typeof f === 'string' ? unsafeName(f, tmp) : 'is not a string';
    if (why) {
      throw new WhetError('MODEL_DOWNLOAD_FAILED', `the mirror listed an unsafe file name ${JSON.stringify(f)} for ${id}: it ${why}; nothing was downloaded`, {
        hint: 'A hub lists plain relative file names. Check that HF_ENDPOINT / MODELSCOPE_ENDPOINT name a hub you trust.',
      });
    }
  }
  const files = listed.filter((f) => WANTED.test(f));
  if (!files.some((f) => f.endsWith('.safetensors'))) {
    throw new WhetError('MODEL_DOWNLOAD_FAILED', `${id} has no safetensors weights at revision ${revision}`, {
      hint: 'Whetstone loads safetensors only; pick a repository that has them.',
    });
  }
  rmSync(tmp, { recursive: true, force: true });
  try {
    for (const f of files) {
      const target = join(tmp, f);
      mkdirSync(dirname(target), { recursive: true });
      const res = await fetchOrExplain(api.fileUrl(id, revision, f));
      await pipeline(Readable.fromWeb(res.body as never), createWriteStream(target));
    }
    if (existsSync(dest)) rmSync(dest, { recursive: true, force: true });
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
