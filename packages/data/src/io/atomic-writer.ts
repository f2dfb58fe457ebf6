import { open, rename, rm, mkdir, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

const BLOCK = 1 << 20;

/**
 * Writes a file under a temporary name and renames it into place on commit, so a crash or an
 * abandoned write never leaves half a file where readers look. Lines are encoded into large
 * blocks as they come and written block by block.
 */
export class AtomicWriter {
  private fh: FileHandle | null = null;
  /** Filled blocks, then the one being filled (`used` bytes of it). */
  private full: Buffer[] = [];
  private block: Buffer = Buffer.allocUnsafe(BLOCK);
  private used = 0;
  private fullBytes = 0;
  private spare: Buffer | null = null;
  /** The write flush() started, until the next flush, commit or abort waits for it. */
  private writing: Promise<void> | null = null;
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

  /** Queues a line (without its "\n"), UTF-8; call flush() between batches, commit() at the end. */
  writeLine(line: string): void {
    const most = line.length * 3 + 1; // UTF-8 bytes of a UTF-16 unit: at most 3
    if (this.used + most > this.block.length) this.nextBlock(most);
    this.used += this.block.write(line, this.used);
    this.block[this.used++] = 0x0a;
  }

  /** Queues a line given as its UTF-8 bytes (without the "\n"); they are copied. */
  writeBytes(bytes: Uint8Array): void {
    if (this.used + bytes.length + 1 > this.block.length) this.nextBlock(bytes.length + 1);
    this.block.set(bytes, this.used);
    this.used += bytes.length;
    this.block[this.used++] = 0x0a;
  }

  /** Bytes queued since the last flush. */
  get pending(): number {
    return this.fullBytes + this.used;
  }

  /**
   * Starts writing what is queued and returns once the previous flush's write is done (its
   * error, if any, is thrown here): the caller goes on filling blocks while one is written.
   */
  async flush(): Promise<void> {
    await this.settle();
    if (this.pending === 0 || !this.fh) return;
    const blocks = [...this.full, this.block.subarray(0, this.used)];
    const current = this.block;
    this.full = [];
    this.fullBytes = 0;
    this.block = this.spare ?? Buffer.allocUnsafe(BLOCK); // the current one is in flight below
    this.spare = null;
    this.used = 0;
    const fh = this.fh;
    this.writing = (async () => {
      for (const b of blocks) {
        for (let off = 0; off < b.length; ) off += (await fh.write(b, off)).bytesWritten;
      }
      if (current.length === BLOCK) this.spare = current; // written: one block is kept for reuse
    })();
    this.writing.catch(() => undefined); // awaited by the next flush, commit or abort
  }

  async commit(): Promise<void> {
    await this.flush();
    await this.settle();
    await this.fh?.close();
    this.fh = null;
    await rename(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    this.full = [];
    this.fullBytes = 0;
    this.used = 0;
    await this.writing?.catch(() => undefined);
    this.writing = null;
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
    await rm(this.tmp, { force: true });
  }

  /** Waits for the write in flight, if any. */
  private async settle(): Promise<void> {
    const w = this.writing;
    this.writing = null;
    await w;
  }

  /** Starts a block with room for at least `bytes`. */
  private nextBlock(bytes: number): void {
    if (this.used > 0) {
      this.full.push(this.block.subarray(0, this.used));
      this.fullBytes += this.used;
    }
    this.block = this.spare && bytes <= BLOCK ? this.spare : Buffer.allocUnsafe(Math.max(BLOCK, bytes));
    if (this.block === this.spare) this.spare = null;
    this.used = 0;
  }
}
