/**
 * A callback-fed async iterable: engines that report through callbacks (node-llama-cpp's
 * onTextChunk) become streams. `push` after `end` is ignored; `fail` ends with an error.
 */
export class PushStream<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private done = false;
  private error: unknown = undefined;
  private wake: (() => void) | null = null;

  push(item: T) {
    if (this.done) return;
    this.items.push(item);
    this.notify();
  }
  end() {
    this.done = true;
    this.notify();
  }
  fail(error: unknown) {
    if (this.done) return;
    this.error = error ?? new Error('stream failed');
    this.done = true;
    this.notify();
  }
  private notify() {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length) {
        yield this.items.shift()!;
        continue;
      }
      if (this.done) {
        if (this.error !== undefined) throw this.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
