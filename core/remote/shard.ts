/**
 * @module core/remote/shard
 * One shard of a remote-write queue: a bounded FIFO of samples held as columns (series ref, time, raw
 * value bits, WAL record sequence), and the batching rules of Prometheus's shards: a batch goes out
 * when `max_samples_per_send` samples are pending or `batch_send_deadline` has passed since the oldest
 * pending sample arrived. Samples of one series always go to the same shard and leave in order, so
 * per-series order is preserved end to end.
 */

/** A bounded sample FIFO. Capacity in samples. */
export class ShardBuffer {
  refs: Uint32Array;
  times: Float64Array;
  values: Float64Array;
  seqs: Float64Array;
  #vbits: Uint32Array;
  head = 0;
  tail = 0;
  /** When the oldest pending sample was enqueued (ms), or 0 when empty. */
  firstEnqueuedAt = 0;

  constructor(readonly capacity: number) {
    this.refs = new Uint32Array(capacity);
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.#vbits = new Uint32Array(this.values.buffer);
  }

  /** Samples pending. */
  get length(): number {
    return this.tail - this.head;
  }

  /** Whether another sample fits. */
  get full(): boolean {
    return this.tail - this.head >= this.capacity;
  }

  /** Sequence number of the oldest pending sample, or +Infinity when empty. */
  get oldestSeq(): number {
    return this.head < this.tail ? this.seqs[this.head]! : Infinity;
  }

  /** Appends one sample, copying the value's 64 bits from `srcBits` at index `i`. Caller checks `full`. */
  push(ref: number, t: number, srcBits: Uint32Array, i: number, seq: number, now: number): void {
    if (this.tail === this.capacity) this.#compact();
    const k = this.tail++;
    this.refs[k] = ref;
    this.times[k] = t;
    this.#vbits[2 * k] = srcBits[2 * i]!;
    this.#vbits[2 * k + 1] = srcBits[2 * i + 1]!;
    this.seqs[k] = seq;
    if (this.firstEnqueuedAt === 0) this.firstEnqueuedAt = now;
  }

  /** Drops the oldest `n` samples (after a send). */
  shift(n: number, now: number): void {
    this.head += n;
    if (this.head >= this.tail) {
      this.head = this.tail = 0;
      this.firstEnqueuedAt = 0;
    } else this.firstEnqueuedAt = now;
  }

  #compact(): void {
    const n = this.tail - this.head;
    this.refs.copyWithin(0, this.head, this.tail);
    this.times.copyWithin(0, this.head, this.tail);
    this.values.copyWithin(0, this.head, this.tail);
    this.seqs.copyWithin(0, this.head, this.tail);
    this.head = 0;
    this.tail = n;
  }
}

/** A promise-based wake-up signal for a shard loop. */
export class Waker {
  #resolve: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Waits until {@link wake} or `ms` elapse. */
  wait(ms: number): Promise<void> {
    return new Promise((res) => {
      this.#resolve = res;
      this.#timer = setTimeout(() => this.wake(), Math.max(1, ms));
    });
  }

  /** Ends the current wait, if any. */
  wake(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const r = this.#resolve;
    this.#resolve = undefined;
    r?.();
  }
}
