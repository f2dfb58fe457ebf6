import { open, rename, rm, mkdir, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file under a temporary name and renames it into place on commit, so a crash or an
 * abandoned write never leaves half a file where readers look. Lines are buffered and written
 * in large blocks.
 */
export class AtomicWriter {
  private fh: FileHandle | null = null;
  private buf: string[] = [];
  private bufChars = 0;
  private readonly tmp: string;

  private constructor(readonly path: string) {
    this.tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  }

  static async create(path: string): Promise<AtomicWriter> {
    const w = new AtomicWriter(path);
    await mkdir(dirname(path), { recursive: true });
    w.fh = await open(w.tmp, 'w');
    return w;
  }

  /** Queues a line (without its "\n"); call flush() between batches, commit() at the end. */
  writeLine(line: string): void {
    this.buf.push(line);
    this.bufChars += line.length + 1;
  }

  /** Characters queued since the last flush. */
  get pending(): number {
    return this.bufChars;
  }

  async flush(): Promise<void> {
    if (this.buf.length === 0 || !this.fh) return;
    const text = this.buf.join('\n') + '\n';
    this.buf = [];
    this.bufChars = 0;
    await this.fh.write(text);
  }

  async commit(): Promise<void> {
    await this.flush();
    await this.fh?.close();
    this.fh = null;
    await rename(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    this.buf = [];
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
    await rm(this.tmp, { force: true });
  }
}
