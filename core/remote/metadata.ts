/**
 * @module core/remote/metadata
 * metadata_config of a remote-write 1.0 queue: all metric metadata (one entry per metric name, from
 * an injected source such as the scrape manager's /api/v1/metadata data) is sent in WriteRequests
 * holding only `metadata` entries, at most metadata_config.max_samples_per_send per request, with the
 * same retry rules as samples (recoverable errors back off between min_backoff and max_backoff).
 * Counted in prometheus_remote_storage_metadata_{total,failed_total,retried_total,bytes_total}.
 */
import type { Logger } from "../log/logger.ts";
import { errorMessage } from "../util/errors.ts";
import { postProto, RemoteSendError, type FetchFn } from "./client.ts";
import type { RemoteWriteConfig } from "./config.ts";
import { encodeWriteRequest, METADATA_TYPES, type MetricMetadata } from "./proto/write.ts";
import type { QueueMetrics } from "./queue-metrics.ts";
import { snappyCompress } from "./snappy.ts";

/** Metric name → metadata entries, as the scrape manager's metadata API returns them. */
export type MetadataSource = () => Record<string, Array<{ type: string; help: string; unit: string }>>;

/** What {@link sendMetadata} needs. */
export interface MetadataSendOptions {
  cfg: RemoteWriteConfig;
  source: MetadataSource | undefined;
  metrics: QueueMetrics;
  fetch?: FetchFn;
  /** Aborts in-flight requests (hard stop). */
  signal: AbortSignal;
  /** Whether the queue still runs (retries stop when it does not). */
  running: () => boolean;
  logger: Logger;
}

/** Sends every metadata entry once. Never throws; failures are counted and logged. */
export async function sendMetadata(o: MetadataSendOptions): Promise<void> {
  const src = o.source?.() ?? {};
  const all: MetricMetadata[] = [];
  for (const [name, entries] of Object.entries(src)) {
    const e = entries[0];
    if (!e) continue;
    const type = (METADATA_TYPES as readonly string[]).includes(e.type) ? e.type as MetricMetadata["type"] : "unknown";
    all.push({ metricFamilyName: name, type, help: e.help, unit: e.unit });
  }
  const per = Math.max(1, o.cfg.metadata.maxSamplesPerSend);
  const q = o.cfg.queue;
  for (let i = 0; i < all.length && o.running(); i += per) {
    const chunk = all.slice(i, i + per);
    const body = snappyCompress(encodeWriteRequest([], chunk).slice());
    let backoff = q.minBackoff;
    for (;;) {
      try {
        await postProto(o.cfg, body, { "X-Prometheus-Remote-Write-Version": "0.1.0" }, q.retryOnHttp429, o.signal, o.fetch);
        o.metrics.metadataSent += chunk.length;
        o.metrics.metadataBytes += body.length;
        break;
      } catch (e) {
        const err = e instanceof RemoteSendError ? e : new RemoteSendError(errorMessage(e), true);
        if (!err.recoverable || !o.running()) {
          o.metrics.metadataFailed += chunk.length;
          if (!err.recoverable) o.logger.error("non-recoverable error while sending metadata", { count: chunk.length, err: err.message });
          break;
        }
        o.metrics.metadataRetried += chunk.length;
        await new Promise((r) => setTimeout(r, Math.max(backoff, err.retryAfterMs)));
        backoff = Math.min(backoff * 2, q.maxBackoff);
      }
    }
  }
}

/** The part of the scrape manager that holds per-target metadata (structurally, core/api's TargetRetriever). */
export interface TargetMetadataSource {
  targetsActive(): ReadonlyMap<string, ReadonlyArray<{ readonly metadata: ReadonlyMap<string, { type: string; help: string; unit: string }> }>>;
}

/**
 * A {@link MetadataSource} over the scrape manager's active targets: every metric family's metadata
 * as last scraped, first target first (as Prometheus's metadata watcher collects it).
 * @example new RemoteStorage({ …, metadata: metadataFromTargets(scrapeManager) })
 */
export function metadataFromTargets(tr: TargetMetadataSource): MetadataSource {
  return () => {
    const out: Record<string, Array<{ type: string; help: string; unit: string }>> = {};
    for (const targets of tr.targetsActive().values()) {
      for (const t of targets) for (const [name, md] of t.metadata) (out[name] ??= []).push(md);
    }
    return out;
  };
}
