/**
 * @module core/remote/sharding
 * Dynamic sharding of a remote-write queue, after Prometheus's `calculateDesiredShards`: from
 * exponentially weighted rates of samples in, samples out, samples dropped and time spent sending,
 * the number of shards needed to keep up with the input plus 5% of the backlog per interval. A change
 * within ±30% of the current count is ignored (hysteresis); the result is clamped to
 * [min_shards, max_shards].
 */

/** EWMA weight per update, as Prometheus's ewmaWeight (0.2). */
export const EWMA_WEIGHT = 0.2;
/** Changes smaller than this fraction of the current shard count are ignored. */
export const SHARD_TOLERANCE = 0.3;

/** Rates per second after an update. */
export interface Rates {
  inRate: number;
  outRate: number;
  droppedRate: number;
  /** Seconds spent sending per second. */
  outDurationRate: number;
}

/** Accumulates counts between updates and keeps EWMA rates. */
export class RateTracker {
  in = 0;
  out = 0;
  dropped = 0;
  /** ms spent in successful sends. */
  outDuration = 0;
  #last = NaN;
  #rates: Rates = { inRate: 0, outRate: 0, droppedRate: 0, outDurationRate: 0 };
  #init = false;

  /** Folds the counts since the last tick into the rates; returns them. `now` in ms. */
  tick(now: number): Rates {
    const dt = Number.isNaN(this.#last) ? 0 : (now - this.#last) / 1000;
    this.#last = now;
    if (dt > 0) {
      const inst: Rates = { inRate: this.in / dt, outRate: this.out / dt, droppedRate: this.dropped / dt, outDurationRate: this.outDuration / 1000 / dt };
      const r = this.#rates;
      if (!this.#init) {
        this.#rates = inst;
        this.#init = true;
      } else {
        r.inRate += EWMA_WEIGHT * (inst.inRate - r.inRate);
        r.outRate += EWMA_WEIGHT * (inst.outRate - r.outRate);
        r.droppedRate += EWMA_WEIGHT * (inst.droppedRate - r.droppedRate);
        r.outDurationRate += EWMA_WEIGHT * (inst.outDurationRate - r.outDurationRate);
      }
    }
    this.in = this.out = this.dropped = this.outDuration = 0;
    return { ...this.#rates };
  }
}

/** Timestamps the calculation needs (ms). */
export interface Highest {
  highestRecvMs: number;
  highestSentMs: number;
}

/** The shard count Prometheus's algorithm asks for. */
export function desiredShards(r: Rates, h: Highest, current: number, min: number, max: number): number {
  if (r.outRate <= 0) return current;
  const keptRatio = r.outRate / (r.droppedRate + r.outRate);
  const delay = h.highestSentMs > 0 ? Math.max(0, (h.highestRecvMs - h.highestSentMs) / 1000) : 0;
  const pending = delay * r.inRate * keptRatio;
  const timePerSample = r.outDurationRate / r.outRate;
  let want = timePerSample * (r.inRate * keptRatio + 0.05 * pending);
  const lower = current * (1 - SHARD_TOLERANCE), upper = current * (1 + SHARD_TOLERANCE);
  want = Math.ceil(want);
  if (lower <= want && want <= upper) return current;
  return Math.min(max, Math.max(min, want));
}
