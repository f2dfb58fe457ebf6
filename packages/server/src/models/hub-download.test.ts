import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';

/**
 * A model hub on 127.0.0.1 that answers the Hugging Face and ModelScope file APIs the way the
 * real hubs do, serving the tiny fixture model. The download code runs unchanged against it;
 * only the endpoint (HF_ENDPOINT / MODELSCOPE_ENDPOINT) differs.
 */
function localHub(modelDir: string): Promise<{ server: Server; url: string; requests: string[] }> {
  const files = readdirSync(modelDir).filter((f) => statSync(join(modelDir, f)).isFile());
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    requests.push(url.pathname + url.search);
    const send = (file: string) => {
      if (!files.includes(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(join(modelDir, file)).pipe(res);
    };
    // Hugging Face: GET /api/models/<id>/revision/<rev>, GET /<id>/resolve/<rev>/<file>
    let m = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (m) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ siblings: files.map((rfilename) => ({ rfilename })) }));
    m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (m) return send(decodeURIComponent(m[3]!));
    // ModelScope: GET /api/v1/models/<id>/repo/files?Revision=..., GET /api/v1/models/<id>/repo?FilePath=...
    if (/^\/api\/v1\/models\/[^/]+\/[^/]+\/repo\/files$/.test(url.pathname)) {
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ Data: { Files: [...files.map((Path) => ({ Path, Type: 'blob' })), { Path: 'docs', Type: 'tree' }] } }));
    }
    if (/^\/api\/v1\/models\/[^/]+\/[^/]+\/repo$/.test(url.pathname)) return send(url.searchParams.get('FilePath') ?? '');
    res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests })),
  );
}

describe('pulling a model by id from a hub', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  let hub: Awaited<ReturnType<typeof localHub>>;
  const saved = { hf: process.env.HF_ENDPOINT, ms: process.env.MODELSCOPE_ENDPOINT };
  beforeAll(async () => {
    hub = await localHub(ensureTinyModel());
    process.env.HF_ENDPOINT = hub.url;
    process.env.MODELSCOPE_ENDPOINT = hub.url;
  });
  afterAll(() => {
    for (const [k, v] of [['HF_ENDPOINT', saved.hf], ['MODELSCOPE_ENDPOINT', saved.ms]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    hub.server.close();
    ctx.store.close();
    cleanup();
  });
  const post = (body: unknown) => app.request('/api/v1/models', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  it.each([
    ['hub', 'whet-test/tiny-hf', '/api/models/whet-test/tiny-hf/revision/main'],
    ['modelscope', 'whet-test/tiny-ms', '/api/v1/models/whet-test/tiny-ms/repo/files?Revision=master&Recursive=true'],
  ] as const)('downloads from %s into the state folder and registers the model with its id', async (source, hubId, listing) => {
    const res = await post({ hub_id: hubId, source });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ source, hub_id: hubId, kind: 'base', architecture: 'LlamaForCausalLM', has_chat_template: true });
    expect(body.path.startsWith(join(home, 'models'))).toBe(true);
    const got = readdirSync(body.path);
    expect(got).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'model.safetensors']));
    expect(got.some((f) => f.includes('.part-'))).toBe(false);
    expect(hub.requests.some((r) => r.startsWith(listing.split('?')[0]!))).toBe(true);
  });

  it('refuses a mirror that lists unsafe file names before writing anything, inside the state folder or out', async () => {
    // A hostile mirror: the real files plus one crafted name, and 200 with bytes for any file asked.
    const files = readdirSync(ensureTinyModel());
    let crafted = '';
    const fetched: string[] = [];
    hub.server.removeAllListeners('request');
    hub.server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://hub');
      if (url.pathname.startsWith('/api/models/')) {
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ siblings: [...files, crafted].map((rfilename) => ({ rfilename })) }));
      }
      fetched.push(url.pathname + url.search);
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('EVIL');
    });
    const evilPlaces = (name: string) => [home, dirname(home), join(home, 'models'), join(home, 'models', 'model')].map((d) => join(d, name));
    const names = [
      'model/../../evil.safetensors', // WANTED's model.*\.safetensors matches it: lands in $WHET_HOME/models/
      'model/../../../evil.safetensors', // lands in $WHET_HOME/
      '../../evil.safetensors',
      `${home}/evil.safetensors`,
      'model\\..\\..\\evil.safetensors',
      'model//evil.safetensors',
      'model.safetensors\0evil',
    ];
    for (const [i, name] of names.entries()) {
      crafted = name;
      const res = await post({ hub_id: `whet-test/crafted-${i}` });
      const body = await json(res);
      expect({ name, status: res.status, code: body.error?.code }).toEqual({ name, status: 502, code: 'MODEL_DOWNLOAD_FAILED' });
      expect(body.error.message).toMatch(/the mirror listed an unsafe file name/);
      expect(body.error.message).toContain(JSON.stringify(name));
      expect(fetched).toEqual([]); // refused on the listing: not one file was fetched
      expect(ctx.store.getModel(`whet-test/crafted-${i}`)).toBeUndefined();
      for (const p of evilPlaces('evil.safetensors')) expect(existsSync(p), p).toBe(false);
      expect(readdirSync(join(home, 'models')).filter((f) => f.includes(`crafted-${i}`))).toEqual([]);
    }
  });

  it('refuses a repository without safetensors weights, keeping nothing', async () => {
    hub.server.removeAllListeners('request');
    hub.server.on('request', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ siblings: [{ rfilename: 'config.json' }, { rfilename: 'pytorch_model.bin' }] })));
    const res = await post({ hub_id: 'whet-test/bin-only' });
    expect(res.status).toBe(502);
    const body = await json(res);
    expect(body.error.code).toBe('MODEL_DOWNLOAD_FAILED');
    expect(body.error.message).toMatch(/no safetensors/);
    expect(ctx.store.getModel('whet-test/bin-only')).toBeUndefined();
    expect(readdirSync(join(home, 'models')).some((f) => f.includes('bin-only'))).toBe(false);
  });
});
