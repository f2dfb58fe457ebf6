import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { REPO_ROOT } from './paths.ts';

export interface RayHead {
  address: string;
  stop(): Promise<void>;
}

/**
 * A real single-node Ray cluster on 127.0.0.1 for a test: `ray start --head --block` as a child
 * process (dashboard off, a small object store, 2 CPUs) in a process group of its own, stopped by
 * signalling that group. Ready once its GCS port accepts connections.
 */
export async function startRayHead(): Promise<RayHead> {
  const port = await freePort();
  // Short: Ray's unix sockets live under it, and their paths may not pass ~107 characters.
  const temp = mkdtempSync(join(tmpdir(), 'wray-'));
  const head = spawn(
    // Ray's CLI through the venv's python, not .venv/bin/ray: a console script's shebang names the
    // folder the venv was made in, and breaks when the venv is moved or shared from elsewhere.
    join(REPO_ROOT, '.venv', 'bin', 'python'),
    ['-m', 'ray.scripts.scripts', 'start', '--head', '--block', '--node-ip-address=127.0.0.1', `--port=${port}`, '--include-dashboard=false',
     '--object-store-memory=80000000', '--num-cpus=2', '--disable-usage-stats', `--temp-dir=${temp}`], // prettier-ignore
    // Its own process group: stop() signals every process of the cluster at once.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  head.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-3000)));
  const exited = new Promise<void>((resolve) => head.on('exit', () => resolve()));
  for (let t0 = Date.now(); !(await accepts(port)); await new Promise((r) => setTimeout(r, 250))) {
    if (head.exitCode !== null || Date.now() - t0 > 60_000) {
      head.kill('SIGKILL');
      throw new Error(`the Ray head did not start: ${stderr}`);
    }
  }
  return {
    address: `127.0.0.1:${port}`,
    async stop() {
      // SIGTERM to the head alone drains for 30 s; to the whole group, every process ends now.
      signalGroup(head.pid!, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      signalGroup(head.pid!, 'SIGKILL'); // any straggler
      rmSync(temp, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}


function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* the group is gone */
  }
}
