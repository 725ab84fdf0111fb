/**
 * @module core/remote/receiver
 * The remote-write 1.0 receiver's logic (the HTTP area is core/api/remote/write.ts): snappy-decode the
 * body, decode the protobuf straight into one appender, commit atomically. Response codes follow
 * Prometheus 2.42's write handler, which senders rely on to decide whether to retry:
 * - 204 on success;
 * - 400 for a body that is not snappy or not a WriteRequest, for out-of-order, duplicate-timestamp,
 *   too-old and out-of-bounds samples (the whole request is rolled back: retrying cannot help), for
 *   invalid label sets, and for native histograms (Quiver's TSDB stores float samples only);
 * - 500 for anything else (storage failures), which senders retry.
 * Exemplars are accepted and counted but not stored (Quiver has no exemplar storage), as Prometheus
 * does with exemplar storage disabled. Metadata entries are counted.
 */
import type { Logger } from "../log/logger.ts";
import type { Labels } from "../model/labels.ts";
import { STALE_NAN } from "../model/value.ts";
import { DuplicateSampleError, OutOfBoundsError, OutOfOrderSampleError, TooOldSampleError } from "../storage/errors.ts";
import type { Appendable, Appender } from "../storage/interface.ts";
import { BadDataError, errorMessage } from "../util/errors.ts";
import { RawLabelCache } from "./proto/label-cache.ts";
import { decodeWriteRequest, type WriteRequestSink } from "./proto/write.ts";
import { decodeWriteRequestV2 } from "./proto/write-v2.ts";
import { snappyUncompress } from "./snappy.ts";

/** Counters of the receiver (exposed by the caller). */
export interface ReceiverCounters {
  requests: number;
  samples: number;
  exemplarsDropped: number;
  histogramsRejected: number;
  metadata: number;
  badRequests: number;
  serverErrors: number;
}

/** A new zeroed counter set. */
export function newReceiverCounters(): ReceiverCounters {
  return { requests: 0, samples: 0, exemplarsDropped: 0, histogramsRejected: 0, metadata: 0, badRequests: 0, serverErrors: 0 };
}

/** Decoding caches a receiver keeps across requests (see WriteRequestSink.labelCache). */
export interface ReceiverCache {
  labels: RawLabelCache;
  refs: RefCache;
}

/** A new, empty receiver cache. */
export function newReceiverCache(): ReceiverCache {
  return { labels: new RawLabelCache(), refs: new WeakMap() };
}

/** The outcome of one write request: an HTTP status and (for errors) a plain-text message. */
export interface WriteOutcome {
  status: 204 | 400 | 500;
  message?: string;
  samples: number;
  /** Histograms and exemplars written (always 0: not stored); for the 2.0 response headers. */
  histograms: number;
  exemplars: number;
}

/** Remote write protocol versions (the protobuf message of the request). */
export type WriteProto = "prometheus.WriteRequest" | "io.prometheus.write.v2.Request";

/** Errors that make a sample unacceptable for good (no retry). */
function isPermanent(e: unknown): boolean {
  return e instanceof OutOfOrderSampleError || e instanceof DuplicateSampleError || e instanceof TooOldSampleError ||
    e instanceof OutOfBoundsError || e instanceof BadDataError;
}

/** Series refs of cached label sets, per receiver (refs are hints: the head re-checks them). */
export type RefCache = WeakMap<Labels, number>;

class AppendSink implements WriteRequestSink {
  labels: Labels | undefined;
  labelCache: RawLabelCache | undefined;
  refs: RefCache | undefined;
  ref = 0;
  samples = 0;
  exemplars = 0;
  histograms = 0;
  metadataCount = 0;
  histogramSeries: Labels | undefined;
  constructor(readonly app: Appender, cache?: ReceiverCache) {
    this.labelCache = cache?.labels;
    this.refs = cache?.refs;
  }

  series(labels: Labels, dup: string | undefined): void {
    if (dup !== undefined) throw new BadDataError(`invalid labels for series: ${labels.toString()}: duplicate label name ${JSON.stringify(dup)}`);
    if (labels.size === 0) throw new BadDataError("invalid labels for series: empty label set");
    this.labels = labels;
    this.ref = this.refs?.get(labels) ?? 0;
  }

  sample(t: number, v: number, stale: boolean): void {
    const app = this.app;
    const before = this.ref;
    if (stale) this.ref = app.appendStale ? app.appendStale(this.ref, this.labels!, t) : app.append(this.ref, this.labels!, t, STALE_NAN);
    else this.ref = app.append(this.ref, this.labels!, t, v);
    if (this.ref !== before && this.refs) this.refs.set(this.labels!, this.ref);
    this.samples++;
  }

  exemplar(): void {
    this.exemplars++;
  }

  histogram(): void {
    this.histograms++;
    this.histogramSeries ??= this.labels;
  }

  metadata(): void {
    this.metadataCount++;
  }
}

/**
 * Handles one remote-write body (snappy-compressed WriteRequest). Never throws: every failure becomes
 * an outcome. Blocks only on the appender's commit.
 */
export async function receiveWrite(appendable: Appendable, body: Uint8Array, counters: ReceiverCounters, logger: Logger, maxBytes?: number, cache?: ReceiverCache, proto: WriteProto = "prometheus.WriteRequest"): Promise<WriteOutcome> {
  counters.requests++;
  let raw: Uint8Array;
  try {
    raw = snappyUncompress(body, maxBytes);
  } catch (e) {
    counters.badRequests++;
    logger.error("Error decoding remote write request", { err: errorMessage(e) });
    return { status: 400, message: errorMessage(e), samples: 0, histograms: 0, exemplars: 0 };
  }
  const app = appendable.appender();
  const sink = new AppendSink(app, cache);
  try {
    if (proto === "io.prometheus.write.v2.Request") decodeWriteRequestV2(raw, sink);
    else decodeWriteRequest(raw, sink);
    if (sink.histograms > 0) {
      counters.histogramsRejected += sink.histograms;
      throw new BadDataError(`native histograms are not supported by Quiver's storage: ${sink.histograms} histogram samples rejected (first series ${sink.histogramSeries?.toString() ?? "?"})`);
    }
  } catch (e) {
    app.rollback();
    if (isPermanent(e)) {
      counters.badRequests++;
      if (!(e instanceof BadDataError)) {
        logger.error("Out of order sample from remote write", { err: errorMessage(e), series: sink.labels?.toString() });
      } else logger.error("Error decoding remote write request", { err: errorMessage(e) });
      return { status: 400, message: errorMessage(e), samples: 0, histograms: 0, exemplars: 0 };
    }
    counters.serverErrors++;
    logger.error("Error appending remote write", { err: errorMessage(e) });
    return { status: 500, message: errorMessage(e), samples: 0, histograms: 0, exemplars: 0 };
  }
  try {
    await app.commit();
  } catch (e) {
    counters.serverErrors++;
    logger.error("Error appending remote write", { err: errorMessage(e) });
    return { status: 500, message: errorMessage(e), samples: 0, histograms: 0, exemplars: 0 };
  }
  counters.samples += sink.samples;
  counters.exemplarsDropped += sink.exemplars;
  counters.metadata += sink.metadataCount;
  return { status: 204, samples: sink.samples, histograms: 0, exemplars: 0 };
}
