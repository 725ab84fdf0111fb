/**
 * @module core/remote/proto/read
 * Remote read messages (remote.proto, types.proto): `ReadRequest{queries=1, accepted_response_types=2}`,
 * `Query{start_timestamp_ms=1, end_timestamp_ms=2, matchers=3, hints=4}`,
 * `LabelMatcher{type=1 (EQ, NEQ, RE, NRE), name=2, value=3}`,
 * `ReadHints{step_ms=1, func=2, start_ms=3, end_ms=4, grouping=5, by=6, range_ms=7}`,
 * `ReadResponse{results=1}`, `QueryResult{timeseries=1}`.
 *
 * Requests are small and decoded to plain objects. Responses can be large: the encoder writes series
 * columns straight into the wire buffer and the decoder fills typed arrays (two passes over each
 * TimeSeries: count, then fill), never an object per sample. Sample values keep their bit patterns.
 */
import type { Labels } from "../../model/labels.ts";
import type { Series } from "../../storage/interface.ts";
import { labelsFromPairs, writeTimeSeries } from "./write.ts";
import { ProtoError, ProtoReader, ProtoWriter, WireType } from "./wire.ts";

/** Matcher types by enum number. */
export const MATCHER_TYPES = ["=", "!=", "=~", "!~"] as const;

/** Response types a client accepts. */
export const ResponseType = { Samples: 0, StreamedXorChunks: 1 } as const;

/** A `prometheus.LabelMatcher`. */
export interface LabelMatcherData {
  type: (typeof MATCHER_TYPES)[number];
  name: string;
  value: string;
}

/** A `prometheus.ReadHints`. Times in ms. */
export interface ReadHintsData {
  stepMs: number;
  func: string;
  startMs: number;
  endMs: number;
  grouping: string[];
  by: boolean;
  rangeMs: number;
}

/** A `prometheus.Query`. Times in ms. */
export interface QueryData {
  startTimestampMs: number;
  endTimestampMs: number;
  matchers: LabelMatcherData[];
  hints?: ReadHintsData;
}

/** A `prometheus.ReadRequest`. */
export interface ReadRequestData {
  queries: QueryData[];
  acceptedResponseTypes: number[];
}

/** Decodes a ReadRequest. Throws ProtoError on malformed input. */
export function decodeReadRequest(buf: Uint8Array): ReadRequestData {
  const r = new ProtoReader(buf);
  const out: ReadRequestData = { queries: [], acceptedResponseTypes: [] };
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 && wt === WireType.Len) out.queries.push(r.message(decodeQuery));
    else if (field === 2 && wt === WireType.Varint) out.acceptedResponseTypes.push(r.uint32());
    else if (field === 2 && wt === WireType.Len) r.message((q) => { while (q.more()) out.acceptedResponseTypes.push(q.uint32()); });
    else r.skip(wt);
  }
  return out;
}

function decodeQuery(r: ProtoReader): QueryData {
  const q: QueryData = { startTimestampMs: 0, endTimestampMs: 0, matchers: [] };
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 && wt === WireType.Varint) q.startTimestampMs = r.int64();
    else if (field === 2 && wt === WireType.Varint) q.endTimestampMs = r.int64();
    else if (field === 3 && wt === WireType.Len) q.matchers.push(r.message(decodeMatcher));
    else if (field === 4 && wt === WireType.Len) q.hints = r.message(decodeHints);
    else r.skip(wt);
  }
  return q;
}

function decodeMatcher(r: ProtoReader): LabelMatcherData {
  const m: LabelMatcherData = { type: "=", name: "", value: "" };
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 && wt === WireType.Varint) {
      const t = r.uint32();
      const ty = MATCHER_TYPES[t];
      if (!ty) throw new ProtoError(`unknown label matcher type ${t}`);
      m.type = ty;
    } else if (field === 2 && wt === WireType.Len) m.name = r.string();
    else if (field === 3 && wt === WireType.Len) m.value = r.string();
    else r.skip(wt);
  }
  return m;
}

function decodeHints(r: ProtoReader): ReadHintsData {
  const h: ReadHintsData = { stepMs: 0, func: "", startMs: 0, endMs: 0, grouping: [], by: false, rangeMs: 0 };
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 && wt === WireType.Varint) h.stepMs = r.int64();
    else if (field === 2 && wt === WireType.Len) h.func = r.string();
    else if (field === 3 && wt === WireType.Varint) h.startMs = r.int64();
    else if (field === 4 && wt === WireType.Varint) h.endMs = r.int64();
    else if (field === 5 && wt === WireType.Len) h.grouping.push(r.string());
    else if (field === 6 && wt === WireType.Varint) h.by = r.uint32() !== 0;
    else if (field === 7 && wt === WireType.Varint) h.rangeMs = r.int64();
    else r.skip(wt);
  }
  return h;
}

/** Encodes a ReadRequest (what Quiver's remote_read client sends). Returns a fresh buffer. */
export function encodeReadRequest(req: ReadRequestData): Uint8Array {
  const w = new ProtoWriter(1024);
  for (const q of req.queries) {
    const qm = w.beginLen(1);
    if (q.startTimestampMs !== 0) { w.tag(1, WireType.Varint); w.int64(q.startTimestampMs); }
    if (q.endTimestampMs !== 0) { w.tag(2, WireType.Varint); w.int64(q.endTimestampMs); }
    for (const m of q.matchers) {
      const mm = w.beginLen(3);
      const t = MATCHER_TYPES.indexOf(m.type);
      if (t > 0) { w.tag(1, WireType.Varint); w.uvarint(t); }
      if (m.name) w.stringField(2, m.name);
      if (m.value) w.stringField(3, m.value);
      w.endLen(mm);
    }
    if (q.hints) {
      const h = q.hints;
      const hm = w.beginLen(4);
      if (h.stepMs) { w.tag(1, WireType.Varint); w.int64(h.stepMs); }
      if (h.func) w.stringField(2, h.func);
      if (h.startMs) { w.tag(3, WireType.Varint); w.int64(h.startMs); }
      if (h.endMs) { w.tag(4, WireType.Varint); w.int64(h.endMs); }
      for (const g of h.grouping) w.stringField(5, g);
      if (h.by) { w.tag(6, WireType.Varint); w.uvarint(1); }
      if (h.rangeMs) { w.tag(7, WireType.Varint); w.int64(h.rangeMs); }
      w.endLen(hm);
    }
    w.endLen(qm);
  }
  if (req.acceptedResponseTypes.length) {
    const m = w.beginLen(2);
    for (const t of req.acceptedResponseTypes) w.uvarint(t);
    w.endLen(m);
  }
  return w.bytes().slice();
}

/**
 * Encodes a ReadResponse: one QueryResult per query, each holding its series. `extraLabels` (external
 * labels) are added to every series that lacks them. Returns a view into `w` (valid until its next reset).
 */
export function encodeReadResponse(results: ReadonlyArray<readonly Series[]>, extraLabels?: Labels, w = new ProtoWriter()): Uint8Array {
  w.reset();
  for (const series of results) {
    const m = w.beginLen(1);
    for (const s of series) writeTimeSeries(w, 1, s, extraLabels);
    w.endLen(m);
  }
  return w.bytes();
}

/** Decodes a ReadResponse into one series list per query, with typed-array columns (caller owns them). */
export function decodeReadResponse(buf: Uint8Array): Series[][] {
  const r = new ProtoReader(buf);
  const out: Series[][] = [];
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 && wt === WireType.Len) {
      out.push(r.message((q) => {
        const series: Series[] = [];
        while (q.more()) {
          const t = q.uint32();
          if (t >>> 3 === 1 && (t & 7) === WireType.Len) series.push(q.message(decodeSeriesColumns));
          else q.skip(t & 7);
        }
        return series;
      }));
    } else r.skip(wt);
  }
  return out;
}

function decodeSeriesColumns(r: ProtoReader): Series {
  const start = r.pos;
  const pairs: Array<[string, string]> = [];
  let n = 0;
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 && wt === WireType.Len) {
      pairs.push(r.message((l) => {
        let name = "", value = "";
        while (l.more()) {
          const t = l.uint32();
          if (t === 10) name = l.string();
          else if (t === 18) value = l.string();
          else l.skip(t & 7);
        }
        return [name, value] as [string, string];
      }));
    } else if (field === 2 && wt === WireType.Len) { n++; r.pos = r.lenEnd(); }
    else r.skip(wt);
  }
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const vb = new Uint8Array(values.buffer);
  r.pos = start;
  let i = 0;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === 18) {
      r.message((s) => {
        while (s.more()) {
          const t = s.uint32();
          if (t === 9) {
            if (s.pos + 8 > s.end) throw new ProtoError("unexpected end of input in sample value");
            vb.set(s.buf.subarray(s.pos, s.pos + 8), i * 8);
            s.pos += 8;
          } else if (t === 16) timestamps[i] = s.int64();
          else s.skip(t & 7);
        }
      });
      i++;
    } else r.skip(tag & 7);
  }
  return { labels: labelsFromPairs(pairs).labels, timestamps, values };
}
