/**
 * @module core/remote/read-handler
 * The remote-read server's logic (the HTTP area is core/api/remote/read.ts), as Prometheus's read
 * handler: decode a snappy ReadRequest, run each query against the local Queryable, answer a snappy
 * ReadResponse of the SAMPLES type. External labels: matchers on an external label name are checked
 * against the external value (a mismatch gives no series) and removed before selecting; returned
 * series carry the external labels they lack. Negotiation: an empty accepted list or one containing
 * SAMPLES gets samples; a client accepting only STREAMED_XOR_CHUNKS gets 400. A query returning more
 * than `sampleLimit` samples fails with 400 ("exceeded sample limit"), as --storage.remote.read-sample-limit.
 */
import type { Labels } from "../model/labels.ts";
import { Matcher } from "../model/matcher.ts";
import type { Queryable, Series } from "../storage/interface.ts";
import { BadDataError } from "../util/errors.ts";
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

/**
 * Answers one remote-read body with a snappy-compressed ReadResponse (a fresh buffer). Throws
 * BadDataError for bad requests and passes storage errors through (the area maps them to 500).
 */
export async function handleRead(o: ReadHandlerOptions, body: Uint8Array): Promise<Uint8Array> {
  const req = decodeReadRequest(snappyUncompress(body));
  const types = req.acceptedResponseTypes;
  if (types.length > 0 && !types.includes(ResponseType.Samples)) {
    throw new BadDataError(`server does not support any of the requested response types: ${JSON.stringify(types)}; supported: [SAMPLES]`);
  }
  const limit = o.sampleLimit ?? DEFAULT_READ_SAMPLE_LIMIT;
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
  return snappyCompress(encodeReadResponse(results, o.externalLabels.size ? o.externalLabels : undefined));
}
