/**
 * @module core/remote/read-handler
 * The remote-read server's logic (the HTTP area is core/api/remote/read.ts), as Prometheus's read
 * handler: decode a snappy ReadRequest, run each query against the local Queryable, answer a snappy
 * ReadResponse of the SAMPLES type. External labels: matchers on an external label name are checked
 * against the external value (a mismatch gives no series) and removed before selecting; returned
 * series carry the external labels they lack. Negotiation as Prometheus's: the first type in the
 * client's accepted list that is supported wins (an empty list means SAMPLES). SAMPLES answers one
 * snappy-compressed ReadResponse; STREAMED_XOR_CHUNKS answers framed ChunkedReadResponses (one series
 * per frame, XOR chunks of up to 120 samples). A SAMPLES query returning more than `sampleLimit`
 * samples fails with 400 ("exceeded sample limit"), as --storage.remote.read-sample-limit.
 */
import type { Labels } from "../model/labels.ts";
import { Matcher } from "../model/matcher.ts";
import type { Queryable, Series } from "../storage/interface.ts";
import { BadDataError } from "../util/errors.ts";
import { CHUNKED_CONTENT_TYPE, encodeChunkedFrames } from "./proto/chunked.ts";
import { decodeReadRequest, encodeReadResponse, ResponseType } from "./proto/read.ts";
import { snappyCompress, snappyUncompress } from "./snappy.ts";

/** Prometheus's default --storage.remote.read-sample-limit. */
export const DEFAULT_READ_SAMPLE_LIMIT = 5e7;

/** Options of {@link handleRead}. */
export interface ReadHandlerOptions {
  queryable: Queryable;
  externalLabels: Labels;
  /** Maximum samples per query (0 = unlimited). */
  sampleLimit?: number;
}

/** A remote-read answer: the body and its headers. */
export interface ReadAnswer {
  body: Uint8Array;
  contentType: string;
  /** "snappy" for SAMPLES responses; streamed responses are not compressed. */
  contentEncoding?: "snappy";
}

/**
 * Answers one remote-read body (fresh buffers). Throws BadDataError for bad requests and passes
 * storage errors through (the area maps them to 500).
 */
export async function handleRead(o: ReadHandlerOptions, body: Uint8Array): Promise<ReadAnswer> {
  const req = decodeReadRequest(snappyUncompress(body));
  const types = req.acceptedResponseTypes;
  const chosen = types.length === 0 ? ResponseType.Samples : types.find((t) => t === ResponseType.Samples || t === ResponseType.StreamedXorChunks);
  if (chosen === undefined) {
    throw new BadDataError(`server does not support any of the requested response types: ${JSON.stringify(types)}; supported: [SAMPLES STREAMED_XOR_CHUNKS]`);
  }
  const streamed = chosen === ResponseType.StreamedXorChunks;
  const limit = streamed ? 0 : o.sampleLimit ?? DEFAULT_READ_SAMPLE_LIMIT;
  const results: Series[][] = [];
  for (const q of req.queries) {
    let matchers: Matcher[];
    try {
      matchers = q.matchers.map((m) => new Matcher(m.type, m.name, m.value));
    } catch (e) {
      throw new BadDataError((e as Error).message);
    }
    const own: Matcher[] = [];
    let impossible = false;
    for (const m of matchers) {
      if (o.externalLabels.has(m.name)) {
        if (!m.matches(o.externalLabels.get(m.name))) impossible = true;
      } else own.push(m);
    }
    if (impossible) {
      results.push([]);
      continue;
    }
    const querier = await o.queryable.querier(q.startTimestampMs, q.endTimestampMs);
    try {
      const set = await querier.select(own, {
        start: q.startTimestampMs, end: q.endTimestampMs, step: q.hints?.stepMs || undefined, func: q.hints?.func || undefined,
      });
      let n = 0;
      for (const s of set.series) n += s.timestamps.length;
      if (limit > 0 && n > limit) throw new BadDataError(`exceeded sample limit (${limit})`);
      results.push(set.series);
    } finally {
      querier.close();
    }
  }
  const ext = o.externalLabels.size ? o.externalLabels : undefined;
  if (streamed) {
    const frames = results.flatMap((series, qi) => encodeChunkedFrames(series, qi, ext));
    const total = frames.reduce((a, f) => a + f.length, 0);
    const out = new Uint8Array(total);
    let p = 0;
    for (const f of frames) { out.set(f, p); p += f.length; }
    return { body: out, contentType: CHUNKED_CONTENT_TYPE };
  }
  return { body: snappyCompress(encodeReadResponse(results, ext)), contentType: "application/x-protobuf", contentEncoding: "snappy" };
}
