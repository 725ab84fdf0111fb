/**
 * @module core/remote/queue
 * One remote_write queue (Prometheus's QueueManager): a WAL watcher feeds samples into shards, each
 * shard batches and sends WriteRequests with retries, and the queue persists how far it has delivered
 * so a restart resumes exactly there.
 *
 * Delivery guarantees:
 * - a sample is removed from its shard only after a 2xx (or a non-recoverable 4xx, which drops the
 *   batch and counts it in samples_failed_total); recoverable failures (network, 5xx, 429) retry the
 *   same batch forever with exponential backoff between min_backoff and max_backoff;
 * - the persisted position (`<data>/remote/<hash>.json`) only covers WAL records whose samples have all
 *   left every shard, so after a crash at most the last unacknowledged batches are sent again (never
 *   lost); a clean stop flushes first;
 * - when all shards are full the watcher stops reading (backpressure) instead of dropping.
 * Series are relabelled once (external labels merged first, then write_relabel_configs, as Prometheus
 * does); samples of dropped or unknown series count as samples_dropped_total.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log/logger.ts";
import type { Labels } from "../model/labels.ts";
import { process as relabel } from "../relabel/index.ts";
import type { SamplesColumns } from "../tsdb/record/record.ts";
import { errorMessage } from "../util/errors.ts";
import { postProto, RemoteSendError, type FetchFn } from "./client.ts";
import type { RemoteWriteConfig } from "./config.ts";
import { QueueMetrics } from "./queue-metrics.ts";
import { sendMetadata, type MetadataSource } from "./metadata.ts";
import { encodeWriteRequest, type SeriesSamples } from "./proto/write.ts";
import { ProtoWriter } from "./proto/wire.ts";
import { encodeWriteRequestV2, RW2_CONTENT_TYPE } from "./proto/write-v2.ts";
import { ShardBuffer, Waker } from "./shard.ts";
import { snappyCompress } from "./snappy.ts";
import { WALWatcher, type WALPosition } from "./wal-watcher.ts";
import { desiredShards, RateTracker } from "./sharding.ts";

/** How often the watcher looks for new WAL data when idle (ms). */
export const DEFAULT_POLL_INTERVAL = 20;
/** How long a clean stop keeps flushing pending samples (ms). */
export const DEFAULT_FLUSH_DEADLINE = 10_000;
/** How often the shard count is recomputed (ms), as Prometheus's shardUpdateDuration. */
export const SHARD_UPDATE_INTERVAL = 10_000;

/** Options of {@link QueueManager}. */
export interface QueueManagerOptions {
  config: RemoteWriteConfig;
  walDir: string;
  /** Directory for the position file (`<data>/remote`). */
  stateDir: string;
  externalLabels: Labels;
  logger: Logger;
  fetch?: FetchFn;
  now?: () => number;
  pollInterval?: number;
  flushDeadline?: number;
  /** How often the shard count is recomputed (ms); default {@link SHARD_UPDATE_INTERVAL}. */
  shardUpdateInterval?: number;
  /** Source of metric metadata for metadata_config (the scrape manager's /api/v1/metadata data). */
  metadata?: MetadataSource;
}

export type { MetadataSource };

interface SavedPosition extends WALPosition {
  url: string;
  highestSentMs: number;
}

/** A running remote_write queue. */
export class QueueManager {
  readonly cfg: RemoteWriteConfig;
  readonly metrics: QueueMetrics;
  readonly #o: QueueManagerOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #posFile: string;
  #labels = new Map<number, Labels | null>();
  #shards: ShardBuffer[] = [];
  #wakers: Waker[] = [];
  #loops: Promise<void>[] = [];
  #watcher: WALWatcher;
  #watchWaker = new Waker();
  #running = false;
  #hardStop = new AbortController();
  #watchLoop: Promise<void> | undefined;
  #seq = 0;
  #lastAfter: WALPosition | undefined;
  #positions: Array<{ seq: number; pos: WALPosition }> = [];
  #savedSeq = -1;
  #resharding = false;
  /** Sequence of a record the watcher could only partly enqueue, or -1. */
  #partialSeq = -1;
  #rates = new RateTracker();
  #lastSendOk = 0;
  #lastShardUpdate = 0;
  #metadataTimer: ReturnType<typeof setInterval> | undefined;
  #metadataSending: Promise<void> | undefined;

  constructor(o: QueueManagerOptions) {
    this.#o = o;
    this.cfg = o.config;
    this.#log = o.logger.child({ component: "remote", remote_name: o.config.name, url: o.config.url });
    this.#now = o.now ?? Date.now;
    this.metrics = new QueueMetrics(o.config);
    mkdirSync(o.stateDir, { recursive: true });
    this.#posFile = join(o.stateDir, `${o.config.hash.slice(0, 16)}.json`);
    const saved = this.#loadPosition();
    if (saved) this.metrics.highestSentMs = saved.highestSentMs;
    this.#watcher = new WALWatcher({
      walDir: o.walDir, logger: this.#log, start: saved ? { segment: saved.segment, offset: saved.offset } : undefined,
      consumer: {
        series: (ref, labels) => this.#storeSeries(ref, labels),
        samples: (c, from, after) => this.#enqueue(c, from, after),
        forget: (ref) => this.#labels.delete(ref),
      },
    });
  }

  #loadPosition(): SavedPosition | undefined {
    try {
      const p = JSON.parse(readFileSync(this.#posFile, "utf8")) as SavedPosition;
      if (Number.isInteger(p.segment) && Number.isInteger(p.offset)) return p;
    } catch {
      // No saved position: start at the end of the WAL.
    }
    return undefined;
  }

  /** Starts the watcher and the shards. */
  start(): void {
    this.#running = true;
    this.#watcher.init();
    this.#lastAfter = this.#watcher.position;
    this.#positions.push({ seq: 0, pos: this.#watcher.position });
    this.#startShards(this.cfg.queue.minShards);
    this.#lastShardUpdate = this.#now();
    this.#watchLoop = this.#watch();
    const md = this.cfg.metadata;
    // Remote write 2.0 carries metadata per series; the separate metadata requests are a 1.0 feature.
    if (md.send && this.#o.metadata && this.cfg.protobufMessage === "prometheus.WriteRequest") {
      const run = () => { this.#metadataSending ??= this.sendMetadata().finally(() => { this.#metadataSending = undefined; }); };
      this.#metadataTimer = setInterval(run, md.sendInterval);
      (this.#metadataTimer as { unref?: () => void }).unref?.();
      run();
    }
  }

  /** Sends all metric metadata now (see core/remote/metadata.ts). Resolves when done. */
  sendMetadata(): Promise<void> {
    return sendMetadata({
      cfg: this.cfg, source: this.#o.metadata, metrics: this.metrics, fetch: this.#o.fetch, signal: this.#hardStop.signal,
      running: () => this.#running, logger: this.#log,
    });
  }

  /** Wakes the watcher (call after a WAL write to cut latency below the poll interval). */
  notify(): void {
    this.#watchWaker.wake();
  }

  #storeSeries(ref: number, labels: Labels): void {
    const ext = this.#o.externalLabels;
    let ls = labels;
    if (ext.size) {
      const b = labels.builder();
      ext.forEach((n, v) => { if (!labels.has(n)) b.set(n, v); });
      ls = b.labels();
    }
    this.#labels.set(ref, this.cfg.writeRelabelConfigs.length ? relabel(ls, this.cfg.writeRelabelConfigs) : ls);
  }

  #enqueue(c: SamplesColumns, from: number, after: WALPosition): number {
    if (this.#resharding || !this.#running) {
      if (from < c.n) this.#partialSeq = this.#lastAfter === after ? this.#seq : this.#seq + 1;
      return 0;
    }
    if (this.#lastAfter !== after) {
      this.#lastAfter = after;
      this.#seq++;
      this.#positions.push({ seq: this.#seq, pos: after });
    }
    const seq = this.#seq;
    const bits = new Uint32Array(c.values.buffer, c.values.byteOffset, c.n * 2);
    const now = this.#now();
    const n = this.#shards.length;
    const max = this.cfg.queue.maxSamplesPerSend;
    const ageLimit = this.cfg.queue.sampleAgeLimit;
    let i = from;
    for (; i < c.n; i++) {
      const ref = c.refs[i]!;
      const t = c.times[i]!;
      const ls = this.#labels.get(ref);
      if (!ls || (ageLimit > 0 && t < now - ageLimit)) {
        this.metrics.samplesIn++;
        this.metrics.samplesDropped++;
        this.#rates.dropped++;
        continue;
      }
      const s = this.#shards[ref % n]!;
      if (s.full) {
        this.metrics.enqueueRetries++;
        this.#wakers[ref % n]!.wake();
        break;
      }
      s.push(ref, t, bits, i, seq, now);
      this.metrics.samplesIn++;
      this.#rates.in++;
      if (t > this.metrics.highestRecvMs) this.metrics.highestRecvMs = t;
      if (s.length === max) this.#wakers[ref % n]!.wake();
    }
    this.#partialSeq = i < c.n ? seq : -1;
    return i - from;
  }

  async #watch(): Promise<void> {
    let lastSave = 0;
    while (this.#running) {
      let progressed = false;
      try {
        progressed = this.#watcher.poll();
      } catch (e) {
        this.#log.error("Error reading the WAL", { err: errorMessage(e) });
      }
      const now = this.#now();
      if (now - lastSave >= 1000) {
        this.#savePosition();
        lastSave = now;
      }
      if (now - this.#lastShardUpdate >= (this.#o.shardUpdateInterval ?? SHARD_UPDATE_INTERVAL)) {
        this.#lastShardUpdate = now;
        await this.#updateShards();
      }
      if (!progressed) await this.#watchWaker.wait(this.#o.pollInterval ?? DEFAULT_POLL_INTERVAL);
      else await new Promise((r) => setTimeout(r, 0));
    }
  }

  #committedPosition(): { seq: number; pos: WALPosition } | undefined {
    let oldest = Infinity;
    for (const s of this.#shards) oldest = Math.min(oldest, s.oldestSeq);
    // A record still partly in the watcher (shards were full) is not delivered either.
    const limit = Math.min(oldest - 1, this.#partialSeq >= 0 ? this.#partialSeq - 1 : this.#seq);
    let best: { seq: number; pos: WALPosition } | undefined;
    while (this.#positions.length && this.#positions[0]!.seq <= limit) best = this.#positions.shift();
    if (best) this.#positions.unshift(best);
    return best;
  }

  #savePosition(): void {
    const c = this.#committedPosition();
    if (!c || c.seq === this.#savedSeq) return;
    const body: SavedPosition = { ...c.pos, url: this.cfg.url, highestSentMs: this.metrics.highestSentMs };
    try {
      writeFileSync(this.#posFile + ".tmp", JSON.stringify(body));
      renameSync(this.#posFile + ".tmp", this.#posFile);
      this.#savedSeq = c.seq;
    } catch (e) {
      this.#log.error("Cannot save the remote write position", { file: this.#posFile, err: errorMessage(e) });
    }
  }

  #startShards(n: number): void {
    const cap = this.cfg.queue.capacity;
    this.#shards = Array.from({ length: n }, () => new ShardBuffer(cap));
    this.#wakers = Array.from({ length: n }, () => new Waker());
    this.#loops = this.#shards.map((s, i) => this.#runShard(s, this.#wakers[i]!));
    this.metrics.shards = n;
  }

  async #updateShards(): Promise<void> {
    const q = this.cfg.queue;
    const want = desiredShards(this.#rates.tick(this.#now()), this.metrics, this.#shards.length, q.minShards, q.maxShards);
    this.metrics.shardsDesired = want;
    if (want === this.#shards.length) return;
    // Prometheus does not reshard while sends are failing: the backlog would only move around.
    if (this.#now() - this.#lastSendOk > 2 * q.batchSendDeadline + 10_000) return;
    this.#log.info("Remote storage resharding", { from: this.#shards.length, to: want });
    this.#resharding = true;
    for (const w of this.#wakers) w.wake();
    const deadline = this.#now() + (this.#o.flushDeadline ?? DEFAULT_FLUSH_DEADLINE);
    while (this.#shards.some((s) => s.length > 0) && this.#now() < deadline && this.#running) {
      for (const w of this.#wakers) w.wake();
      await new Promise((r) => setTimeout(r, 10));
    }
    if (this.#shards.some((s) => s.length > 0)) {
      this.#resharding = false;
      return;
    }
    const old = this.#loops;
    this.#shards = [];
    for (const w of this.#wakers) w.wake();
    await Promise.all(old);
    this.#startShards(want);
    this.#resharding = false;
  }

  async #runShard(s: ShardBuffer, waker: Waker): Promise<void> {
    const w = new ProtoWriter();
    const q = this.cfg.queue;
    while (this.#running || (s.length > 0 && !this.#hardStop.signal.aborted)) {
      if (s.length === 0) {
        // Retired by a reshard, or stopping: nothing left to do. Otherwise idle until woken.
        if (!this.#running || !this.#shards.includes(s)) return;
        await waker.wait(q.batchSendDeadline);
        continue;
      }
      const due = s.length >= q.maxSamplesPerSend || this.#resharding || !this.#running ||
        (s.length > 0 && this.#now() - s.firstEnqueuedAt >= q.batchSendDeadline);
      if (!due) {
        await waker.wait(s.length > 0 ? q.batchSendDeadline - (this.#now() - s.firstEnqueuedAt) : q.batchSendDeadline);
        continue;
      }
      await this.#sendBatch(s, Math.min(s.length, q.maxSamplesPerSend), w);
    }
  }

  async #sendBatch(s: ShardBuffer, n: number, w: ProtoWriter): Promise<void> {
    const q = this.cfg.queue;
    const groups = new Map<number, number[]>();
    let maxT = -Infinity;
    for (let k = s.head; k < s.head + n; k++) {
      const ref = s.refs[k]!;
      let g = groups.get(ref);
      if (!g) groups.set(ref, (g = []));
      g.push(k);
      if (s.times[k]! > maxT) maxT = s.times[k]!;
    }
    const series: SeriesSamples[] = [];
    const vb = new Uint32Array(s.values.buffer);
    for (const [ref, idx] of groups) {
      const values = new Float64Array(idx.length);
      const ob = new Uint32Array(values.buffer);
      const timestamps = new Array<number>(idx.length);
      idx.forEach((k, j) => { timestamps[j] = s.times[k]!; ob[2 * j] = vb[2 * k]!; ob[2 * j + 1] = vb[2 * k + 1]!; });
      series.push({ labels: this.#labels.get(ref)!, timestamps, values });
    }
    const v2 = this.cfg.protobufMessage === "io.prometheus.write.v2.Request";
    const body = snappyCompress(v2 ? encodeWriteRequestV2(series, w) : encodeWriteRequest(series, [], w));
    const headers: Record<string, string> = v2 ? { "Content-Type": RW2_CONTENT_TYPE, "X-Prometheus-Remote-Write-Version": "2.0.0" } : { "X-Prometheus-Remote-Write-Version": "0.1.0" };
    let backoff = q.minBackoff;
    for (;;) {
      const t0 = this.#now();
      try {
        await postProto(this.cfg, body, headers, q.retryOnHttp429, this.#hardStop.signal, this.#o.fetch);
        this.metrics.observeBatch((this.#now() - t0) / 1000);
        this.metrics.samplesSent += n;
        this.metrics.bytesSent += body.length;
        this.#rates.out += n;
        this.#rates.outDuration += this.#now() - t0;
        if (maxT > this.metrics.highestSentMs) this.metrics.highestSentMs = maxT;
        this.#lastSendOk = this.#now();
        break;
      } catch (e) {
        const err = e instanceof RemoteSendError ? e : new RemoteSendError(errorMessage(e), true);
        if (!err.recoverable) {
          this.metrics.samplesFailed += n;
          this.#log.error("non-recoverable error", { count: n, exemplarCount: 0, err: err.message });
          break;
        }
        if (this.#hardStop.signal.aborted) return;
        this.metrics.samplesRetried += n;
        this.#log.warn("Failed to send batch, retrying", { err: err.message });
        const wait = Math.max(backoff, err.retryAfterMs);
        await new Promise<void>((r) => {
          const t = setTimeout(r, wait);
          this.#hardStop.signal.addEventListener("abort", () => { clearTimeout(t); r(); }, { once: true });
        });
        if (this.#hardStop.signal.aborted) return;
        backoff = Math.min(backoff * 2, q.maxBackoff);
      }
    }
    s.shift(n, this.#now());
  }

  /** Samples waiting in shards. */
  get pending(): number {
    let n = 0;
    for (const s of this.#shards) n += s.length;
    return n;
  }

  /**
   * Stops reading, flushes pending samples for up to the flush deadline, then aborts in-flight sends
   * and saves the position (unsent samples are sent again after a restart).
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    if (this.#metadataTimer) clearInterval(this.#metadataTimer);
    this.#watchWaker.wake();
    await this.#watchLoop;
    for (const w of this.#wakers) w.wake();
    const timer = setTimeout(() => this.#hardStop.abort(), this.#o.flushDeadline ?? DEFAULT_FLUSH_DEADLINE);
    await Promise.all(this.#loops);
    clearTimeout(timer);
    this.#hardStop.abort();
    await this.#metadataSending;
    this.#savePosition();
  }

  /** Gauges derived from current state, refreshed before exposition. */
  refreshGauges(): void {
    this.metrics.samplesPending = this.pending;
    this.metrics.shards = this.#shards.length;
  }
}
