/**
 * @module core/remote/storage
 * The remote storage component the composition root owns: one {@link QueueManager} per remote_write
 * entry (reading the TSDB's WAL directory read-only), the remote_read endpoints merged into queries,
 * and their self-metrics. `applyConfig` keeps queues whose configuration (and external labels) did not
 * change, so a reload does not restart sending; changed or removed queues are flushed and stopped.
 */
import { join } from "node:path";
import type { Logger } from "../log/logger.ts";
import { Labels } from "../model/labels.ts";
import type { MetricFamily } from "../model/metric-family.ts";
import type { Queryable } from "../storage/interface.ts";
import type { FetchFn } from "./client.ts";
import type { RemoteReadConfig, RemoteWriteConfig } from "./config.ts";
import type { MetadataSource } from "./metadata.ts";
import { QueueManager } from "./queue.ts";
import { MergedQueryable, RemoteReadClient } from "./read.ts";

/** Options of {@link RemoteStorage}. */
export interface RemoteStorageOptions {
  /** The data directory (--storage.tsdb.path); positions go to `<dataDir>/remote/`. */
  dataDir: string;
  /** The TSDB's WAL directory (default `<dataDir>/wal`). */
  walDir?: string;
  logger: Logger;
  /** global.external_labels (read at every applyConfig). */
  externalLabels: () => Labels;
  /** The local storage, merged with remote_read endpoints by {@link RemoteStorage.queryable}. */
  local: Queryable;
  fetch?: FetchFn;
  now?: () => number;
  pollInterval?: number;
  flushDeadline?: number;
  /** How often queues recompute their shard count (ms; default 10 s as Prometheus). */
  shardUpdateInterval?: number;
  /** Metric metadata to send when metadata_config.send is on (e.g. `metadataFromTargets(scrapeManager)`). */
  metadata?: MetadataSource;
}

/** Remote write queues and remote read clients. */
export class RemoteStorage {
  readonly #o: RemoteStorageOptions;
  #queues = new Map<string, QueueManager>();
  #readers: RemoteReadClient[] = [];
  #extKey = "";

  constructor(o: RemoteStorageOptions) {
    this.#o = o;
  }

  /** Applies new remote_write / remote_read lists. Unchanged queues keep running. */
  async applyConfig(remoteWrite: readonly RemoteWriteConfig[], remoteRead: readonly RemoteReadConfig[] = []): Promise<void> {
    const ext = this.#o.externalLabels();
    const extChanged = ext.key() !== this.#extKey;
    this.#extKey = ext.key();
    const next = new Map<string, QueueManager>();
    const stops: Promise<void>[] = [];
    for (const cfg of remoteWrite) {
      const have = this.#queues.get(cfg.hash);
      if (have && !extChanged) {
        next.set(cfg.hash, have);
        continue;
      }
      if (have) stops.push(have.stop());
    }
    for (const [h, q] of this.#queues) if (!next.has(h) && !remoteWrite.some((c) => c.hash === h)) stops.push(q.stop());
    await Promise.all(stops);
    for (const cfg of remoteWrite) {
      if (next.has(cfg.hash)) continue;
      const q = new QueueManager({
        config: cfg, walDir: this.#o.walDir ?? join(this.#o.dataDir, "wal"), stateDir: join(this.#o.dataDir, "remote"),
        externalLabels: ext, logger: this.#o.logger, fetch: this.#o.fetch, now: this.#o.now,
        pollInterval: this.#o.pollInterval, flushDeadline: this.#o.flushDeadline, shardUpdateInterval: this.#o.shardUpdateInterval, metadata: this.#o.metadata,
      });
      q.start();
      next.set(cfg.hash, q);
    }
    this.#queues = next;
    this.#readers = remoteRead.map((c) => new RemoteReadClient(c, ext, this.#o.fetch));
  }

  /** The running queues (for tests and status pages). */
  queues(): QueueManager[] {
    return [...this.#queues.values()];
  }

  /** Wakes every queue's WAL watcher (optional: call after commits for lower latency). */
  notifyWrite(): void {
    for (const q of this.#queues.values()) q.notify();
  }

  /** The local storage merged with the remote_read endpoints (itself when there are none). */
  queryable(): Queryable {
    return new MergedQueryable(this.#o.local, () => this.#readers);
  }

  /** Self-metrics under Prometheus's names. */
  metrics(): MetricFamily[] {
    const out: MetricFamily[] = [];
    let samplesIn = 0, highest = 0;
    const byName = new Map<string, MetricFamily>();
    for (const q of this.#queues.values()) {
      q.refreshGauges();
      samplesIn += q.metrics.samplesIn;
      highest = Math.max(highest, q.metrics.highestRecvMs);
      for (const f of q.metrics.families()) {
        const have = byName.get(f.name);
        if (have) have.samples.push(...f.samples);
        else {
          byName.set(f.name, f);
          out.push(f);
        }
      }
    }
    out.push(
      { name: "prometheus_remote_storage_samples_in_total", type: "counter", help: "Samples in to remote storage, compare to samples out for queue managers.", samples: [{ name: "prometheus_remote_storage_samples_in_total", labels: {}, value: samplesIn }] },
      { name: "prometheus_remote_storage_highest_timestamp_in_seconds", type: "gauge", help: "Highest timestamp that has come into the remote storage via the Appender interface, in seconds since epoch.", samples: [{ name: "prometheus_remote_storage_highest_timestamp_in_seconds", labels: {}, value: highest / 1000 }] },
    );
    return out;
  }

  /** Flushes and stops every queue (positions saved). */
  async stop(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.stop()));
    this.#queues.clear();
  }
}
