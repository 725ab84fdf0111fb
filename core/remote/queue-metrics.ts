/**
 * @module core/remote/queue-metrics
 * Self-metrics of a remote-write queue under Prometheus's names and labels (`remote_name`, `url`), so
 * existing remote-write dashboards and alerts (PrometheusRemoteStorageFailures, …) work unchanged.
 * Timestamps are kept in ms and exposed in seconds.
 */
import type { MetricFamily } from "../model/metric-family.ts";
import type { RemoteWriteConfig } from "./config.ts";

/** Buckets of prometheus_remote_storage_sent_batch_duration_seconds (Prometheus's). */
export const BATCH_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300];

/** Counters and gauges of one queue. */
export class QueueMetrics {
  samplesIn = 0;
  samplesSent = 0;
  samplesFailed = 0;
  samplesRetried = 0;
  samplesDropped = 0;
  samplesPending = 0;
  enqueueRetries = 0;
  bytesSent = 0;
  metadataSent = 0;
  metadataFailed = 0;
  metadataRetried = 0;
  metadataBytes = 0;
  shards = 0;
  shardsDesired = 0;
  /** Newest sample time read from the WAL (ms). */
  highestRecvMs = 0;
  /** Newest sample time successfully sent (ms). */
  highestSentMs = 0;
  #buckets = new Array<number>(BATCH_DURATION_BUCKETS.length).fill(0);
  #durSum = 0;
  #durCount = 0;

  constructor(readonly cfg: RemoteWriteConfig) {}

  /** Records one successful send's duration (seconds). */
  observeBatch(sec: number): void {
    this.#durSum += sec;
    this.#durCount++;
    for (let i = 0; i < BATCH_DURATION_BUCKETS.length; i++) if (sec <= BATCH_DURATION_BUCKETS[i]!) this.#buckets[i]!++;
  }

  /** The queue's families (labelled with remote_name and url). */
  families(): MetricFamily[] {
    const l = { remote_name: this.cfg.name, url: this.cfg.url };
    const P = "prometheus_remote_storage_";
    const one = (name: string, type: "counter" | "gauge", help: string, value: number): MetricFamily =>
      ({ name: P + name, type, help, samples: [{ name: P + name, labels: l, value }] });
    const q = this.cfg.queue;
    const buckets = BATCH_DURATION_BUCKETS.map((le, i) => ({ name: `${P}sent_batch_duration_seconds_bucket`, labels: { ...l, le: String(le) }, value: this.#buckets[i]! }));
    buckets.push({ name: `${P}sent_batch_duration_seconds_bucket`, labels: { ...l, le: "+Inf" }, value: this.#durCount });
    return [
      one("samples_total", "counter", "Total number of samples sent to remote storage.", this.samplesSent),
      one("samples_failed_total", "counter", "Total number of samples which failed on send to remote storage, non-recoverable errors.", this.samplesFailed),
      one("samples_retried_total", "counter", "Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.", this.samplesRetried),
      one("samples_dropped_total", "counter", "Total number of samples which were dropped after being read from the WAL before being sent via remote write, either via relabelling, due to being too old or unintentionally because of an unknown reference ID.", this.samplesDropped),
      one("samples_pending", "gauge", "The number of samples pending in the queues shards to be sent to the remote storage.", this.samplesPending),
      one("enqueue_retries_total", "counter", "Total number of times enqueue has failed because a shards queue was full.", this.enqueueRetries),
      one("bytes_total", "counter", "The total number of bytes of data (not metadata) sent by the queue after compression.", this.bytesSent),
      one("metadata_total", "counter", "Total number of metadata entries sent to remote storage.", this.metadataSent),
      one("metadata_failed_total", "counter", "Total number of metadata entries which failed on send to remote storage, non-recoverable errors.", this.metadataFailed),
      one("metadata_retried_total", "counter", "Total number of metadata entries which failed on send to remote storage but were retried because the send error was recoverable.", this.metadataRetried),
      one("metadata_bytes_total", "counter", "The total number of bytes of metadata sent by the queue after compression.", this.metadataBytes),
      one("shards", "gauge", "The number of shards used for parallel sending to the remote storage.", this.shards),
      one("shards_desired", "gauge", "The number of shards that the queues shard calculation wants to run based on the rate of samples in vs. samples out.", this.shardsDesired || this.shards),
      one("shards_min", "gauge", "The minimum number of shards that the queue is allowed to run.", q.minShards),
      one("shards_max", "gauge", "The maximum number of shards that the queue is allowed to run.", q.maxShards),
      one("shard_capacity", "gauge", "The capacity of each shard of the queue used for parallel sending to the remote storage.", q.capacity),
      one("max_samples_per_send", "gauge", "The maximum number of samples to be sent, in a single request, to the remote storage.", q.maxSamplesPerSend),
      one("queue_highest_sent_timestamp_seconds", "gauge", "Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.", this.highestSentMs / 1000),
      {
        name: `${P}sent_batch_duration_seconds`, type: "histogram", help: "Duration of send calls to the remote storage.",
        samples: [...buckets, { name: `${P}sent_batch_duration_seconds_sum`, labels: l, value: this.#durSum }, { name: `${P}sent_batch_duration_seconds_count`, labels: l, value: this.#durCount }],
      },
    ];
  }
}
