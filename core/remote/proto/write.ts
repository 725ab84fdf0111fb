/**
 * @module core/remote/proto/write
 * Remote write 1.0 `prometheus.WriteRequest` (../shared/conformance/remote_write/remote.proto and
 * types.proto): a streaming decoder that hands labels and samples to a sink without allocating an
 * object per sample, and an encoder from column-shaped series.
 *
 * Field numbers: WriteRequest{timeseries=1, metadata=3}; TimeSeries{labels=1, samples=2, exemplars=3,
 * histograms=4}; Label{name=1, value=2}; Sample{value=1 double, timestamp=2 int64};
 * Exemplar{labels=1, value=2, timestamp=3}; MetricMetadata{type=1, metric_family_name=2, help=4, unit=5}.
 *
 * Invariants: fields may come in any order and repeat (protobuf semantics: the last scalar wins);
 * unknown fields are skipped; a TimeSeries' labels are always delivered before its samples, even when
 * the samples precede them on the wire; sample values keep their 64-bit pattern (`stale` flags the
 * Prometheus staleness marker 0x7ff0000000000002 explicitly, since a JS number may lose the payload).
 */
import { compareStrings, Labels } from "../../model/labels.ts";
import { hashBytes, type RawLabelCache } from "./label-cache.ts";
import { STALE_NAN_HI, STALE_NAN_LO } from "../../model/value.ts";
import { ProtoError, ProtoReader, ProtoWriter, WireType } from "./wire.ts";

/** Metric types of MetricMetadata, by enum number. */
export const METADATA_TYPES = ["unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"] as const;

/** A `prometheus.MetricMetadata`. */
export interface MetricMetadata {
  type: (typeof METADATA_TYPES)[number];
  metricFamilyName: string;
  help: string;
  unit: string;
}

/** A `prometheus.Exemplar`. Time in ms. */
export interface ExemplarData {
  labels: Labels;
  value: number;
  timestamp: number;
}

/** Receives the content of a WriteRequest as it is decoded. */
export interface WriteRequestSink {
  /** Starts a series. `labels` are as sent (sorted by Labels; duplicates are reported by `duplicateLabel`). */
  series(labels: Labels, duplicateLabel: string | undefined): void;
  /** A float sample of the current series. `t` in ms. `stale` is true for the staleness marker. */
  sample(t: number, v: number, stale: boolean): void;
  /** An exemplar of the current series (optional). */
  exemplar?(e: ExemplarData): void;
  /** A native histogram sample of the current series at `t` ms (only its timestamp is decoded). */
  histogram(t: number): void;
  /** A metadata entry (optional). */
  metadata?(m: MetricMetadata): void;
  /**
   * Optional cache of decoded label sets keyed by the raw bytes of a series' label fields. Senders
   * repeat the same series in every request; a hit skips decoding, sorting and validating the labels.
   * Entries hold sets without duplicate names only.
   */
  labelCache?: RawLabelCache;
}

/** Scratch offsets of sample/exemplar/histogram submessages of one TimeSeries. */
let scratch = new Int32Array(1024);
/** True while a TimeSeries' scratch offsets are being consumed (a re-entrant decode must copy them). */
let scratchBusy = false;

/**
 * Decodes a (decompressed) WriteRequest, calling `sink` for every series and sample in order.
 * Throws {@link ProtoError} on malformed input (possibly after some sink calls: callers roll back).
 */
export function decodeWriteRequest(buf: Uint8Array, sink: WriteRequestSink): void {
  const r = new ProtoReader(buf);
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 && wt === WireType.Len) {
      const end = r.lenEnd();
      decodeTimeSeries(r, end, sink);
      r.pos = end;
    } else if (field === 3 && wt === WireType.Len) {
      const end = r.lenEnd();
      const m = decodeMetadata(r, end);
      sink.metadata?.(m);
      r.pos = end;
    } else r.skip(wt);
  }
}

function decodeTimeSeries(r: ProtoReader, end: number, sink: WriteRequestSink): void {
  const cache = sink.labelCache;
  let pairs: Array<[string, string]> | undefined = cache ? undefined : [];
  // With a cache, label fields are only located first: [start, end) of the contiguous run.
  let lStart = -1, lEnd = -1, contiguous = true;
  let nSub = 0; // entries of (kind, start, end) in scratch
  const outer = r.end, bodyStart = r.pos;
  r.end = end;
  try {
    while (r.more()) {
      const tagAt = r.pos;
      const tag = r.uint32();
      const field = tag >>> 3, wt = tag & 7;
      if (wt === WireType.Len && field >= 1 && field <= 4) {
        const e = r.lenEnd();
        if (field === 1) {
          if (pairs) pairs.push(decodeLabel(r, e));
          else {
            if (lStart < 0) lStart = tagAt;
            else if (tagAt !== lEnd) contiguous = false;
            lEnd = e;
          }
        } else {
          if ((nSub + 1) * 3 > scratch.length) {
            const g = new Int32Array(scratch.length * 2);
            g.set(scratch);
            scratch = g;
          }
          scratch[nSub * 3] = field;
          scratch[nSub * 3 + 1] = r.pos;
          scratch[nSub * 3 + 2] = e;
          nSub++;
        }
        r.pos = e;
      } else r.skip(wt);
    }
    if (!pairs) {
      // Cached path: the first pass only located the label fields (contiguous unless interleaved).
      const hash = contiguous && lStart >= 0 ? hashBytes(r.view, lStart, lEnd) : 0;
      const hit = contiguous && lStart >= 0 ? cache!.get(r.view, lStart, lEnd, hash) : undefined;
      if (hit) sink.series(hit, undefined);
      else {
        pairs = contiguous ? decodeLabelRun(r, lStart, lEnd) : decodeLabelFields(r, bodyStart, end);
        r.end = end;
        const res = labelsFromPairs(pairs);
        if (contiguous && lStart >= 0 && res.dup === undefined) cache!.set(r.view, lStart, lEnd, hash, res.labels);
        sink.series(res.labels, res.dup);
      }
    } else {
      const res = labelsFromPairs(pairs);
      sink.series(res.labels, res.dup);
    }
    // A nested decode (from a sink) would reuse scratch: copy the offsets out only then.
    const subs = scratchBusy ? scratch.slice(0, nSub * 3) : scratch;
    const wasBusy = scratchBusy;
    scratchBusy = true;
    try {
      for (let i = 0; i < nSub; i++) {
        const kind = subs[i * 3]!, s = subs[i * 3 + 1]!, e = subs[i * 3 + 2]!;
        r.pos = s;
        r.end = e;
        if (kind === 2) decodeSample(r, sink);
        else if (kind === 3) { if (sink.exemplar) sink.exemplar(decodeExemplar(r)); }
        else sink.histogram(decodeHistogramTimestamp(r));
      }
    } finally {
      scratchBusy = wasBusy;
    }
  } finally {
    r.end = outer;
  }
}

/** Decodes the contiguous run of Label fields (tags included) at [start, end). */
function decodeLabelRun(r: ProtoReader, start: number, end: number): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let p = start;
  while (p < end) {
    r.pos = p;
    r.end = end;
    r.uint32();
    const e = r.lenEnd();
    pairs.push(decodeLabel(r, e));
    p = e;
  }
  return pairs;
}

/** Decodes every Label field of the TimeSeries body ending at `end` (second pass, fields interleaved). */
function decodeLabelFields(r: ProtoReader, start: number, end: number): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  r.pos = start;
  r.end = end;
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (wt === WireType.Len) {
      const e = r.lenEnd();
      if (field === 1) pairs.push(decodeLabel(r, e));
      r.pos = e;
    } else r.skip(wt);
  }
  return pairs;
}

/**
 * Sorts label pairs into Labels, dropping empty values (an empty value means "no label"). Reports the
 * first name that occurs twice; the last occurrence is kept.
 */
export function labelsFromPairs(pairs: Array<[string, string]>): { labels: Labels; dup: string | undefined } {
  let sorted = true;
  for (let i = 1; i < pairs.length; i++) if (compareStrings(pairs[i - 1]![0], pairs[i]![0]) >= 0) { sorted = false; break; }
  if (!sorted) pairs.sort((a, b) => compareStrings(a[0], b[0]));
  let dup: string | undefined;
  const flat: string[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const [n, v] = pairs[i]!;
    if (i + 1 < pairs.length && pairs[i + 1]![0] === n) {
      dup ??= n;
      continue;
    }
    if (v === "") continue;
    flat.push(n, v);
  }
  return { labels: Labels.fromSortedFlat(flat), dup };
}


function decodeLabel(r: ProtoReader, end: number): [string, string] {
  const outer = r.end;
  r.end = end;
  let name = "", value = "";
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 && wt === WireType.Len) name = r.string();
    else if (field === 2 && wt === WireType.Len) value = r.string();
    else r.skip(wt);
  }
  r.end = outer;
  return [name, value];
}

function decodeSample(r: ProtoReader, sink: WriteRequestSink): void {
  let t = 0, v = 0, stale = false;
  const dv = r.view;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === 9) {
      // field 1, fixed64
      if (r.pos + 8 > r.end) throw new ProtoError("unexpected end of input in sample value");
      const lo = dv.getUint32(r.pos, true), hi = dv.getUint32(r.pos + 4, true);
      stale = hi === STALE_NAN_HI && lo === STALE_NAN_LO;
      v = dv.getFloat64(r.pos, true);
      r.pos += 8;
    } else if (tag === 16) t = r.int64();
    else r.skip(tag & 7);
  }
  sink.sample(t, v, stale);
}

function decodeExemplar(r: ProtoReader): ExemplarData {
  const pairs: Array<[string, string]> = [];
  let value = 0, timestamp = 0;
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 && wt === WireType.Len) {
      const e = r.lenEnd();
      pairs.push(decodeLabel(r, e));
      r.pos = e;
    } else if (field === 2 && wt === WireType.Fixed64) value = r.double();
    else if (field === 3 && wt === WireType.Varint) timestamp = r.int64();
    else r.skip(wt);
  }
  return { labels: labelsFromPairs(pairs).labels, value, timestamp };
}

/** Walks a Histogram message and returns its timestamp (field 15), validating the framing. */
function decodeHistogramTimestamp(r: ProtoReader): number {
  let t = 0;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === (15 << 3)) t = r.int64();
    else r.skip(tag & 7);
  }
  return t;
}

function decodeMetadata(r: ProtoReader, end: number): MetricMetadata {
  const outer = r.end;
  r.end = end;
  const m: MetricMetadata = { type: "unknown", metricFamilyName: "", help: "", unit: "" };
  while (r.more()) {
    const tag = r.uint32();
    const field = tag >>> 3, wt = tag & 7;
    if (field === 1 && wt === WireType.Varint) m.type = METADATA_TYPES[r.uint32()] ?? "unknown";
    else if (field === 2 && wt === WireType.Len) m.metricFamilyName = r.string();
    else if (field === 4 && wt === WireType.Len) m.help = r.string();
    else if (field === 5 && wt === WireType.Len) m.unit = r.string();
    else r.skip(wt);
  }
  r.end = outer;
  return m;
}

/** One series to encode: labels plus aligned sample columns. */
export interface SeriesSamples {
  labels: Labels;
  /** Sample times in ms. */
  timestamps: ArrayLike<number>;
  /** Sample values; bits are copied as they are (staleness markers survive). */
  values: Float64Array;
  /** Optional range [from, to) of the columns to encode (default: all). */
  from?: number;
  to?: number;
  exemplars?: readonly ExemplarData[];
}

/** Writes one TimeSeries message body under `field` (1 in WriteRequest and QueryResult). */
export function writeTimeSeries(w: ProtoWriter, field: number, s: SeriesSamples, extraLabels?: Labels): void {
  const mark = w.beginLen(field);
  writeLabels(w, 1, s.labels, extraLabels);
  const bytes = new Uint8Array(s.values.buffer, s.values.byteOffset, s.values.byteLength);
  const from = s.from ?? 0, to = s.to ?? s.timestamps.length;
  for (let i = from; i < to; i++) {
    const t = s.timestamps[i]!;
    const o = i * 8;
    const zero = bytes[o]! === 0 && bytes[o + 1] === 0 && bytes[o + 2] === 0 && bytes[o + 3] === 0 &&
      bytes[o + 4] === 0 && bytes[o + 5] === 0 && bytes[o + 6] === 0 && bytes[o + 7] === 0;
    w.ensure(24);
    const m = w.beginLen(2);
    if (!zero) {
      w.buf[w.pos++] = 9;
      w.fixed64From(bytes, o);
    }
    if (t !== 0) {
      w.buf[w.pos++] = 16;
      w.int64(t);
    }
    w.endLen(m);
  }
  for (const e of s.exemplars ?? []) {
    const m = w.beginLen(3);
    writeLabels(w, 1, e.labels);
    if (e.value !== 0 || Object.is(e.value, -0)) { w.tag(2, WireType.Fixed64); w.double(e.value); }
    if (e.timestamp !== 0) { w.tag(3, WireType.Varint); w.int64(e.timestamp); }
    w.endLen(m);
  }
  w.endLen(mark);
}

/**
 * Writes `labels` as repeated Label submessages. `extra` (external labels) are merged in sorted
 * order; a label already present in `labels` wins, as Prometheus's external-label handling does.
 */
export function writeLabels(w: ProtoWriter, field: number, labels: Labels, extra?: Labels): void {
  const f = labels.flat;
  const x = extra?.flat ?? [];
  let i = 0, j = 0;
  while (i < f.length || j < x.length) {
    let name: string, value: string;
    if (j >= x.length || (i < f.length && f[i]! <= x[j]!)) {
      name = f[i]!; value = f[i + 1]!;
      if (j < x.length && x[j] === name) j += 2;
      i += 2;
    } else {
      name = x[j]!; value = x[j + 1]!;
      j += 2;
    }
    const m = w.beginLen(field);
    if (name !== "") w.stringField(1, name);
    if (value !== "") w.stringField(2, value);
    w.endLen(m);
  }
}

/** Writes a MetricMetadata entry (field 3 of WriteRequest). */
export function writeMetadata(w: ProtoWriter, m: MetricMetadata): void {
  const mark = w.beginLen(3);
  const t = METADATA_TYPES.indexOf(m.type);
  if (t > 0) { w.tag(1, WireType.Varint); w.uvarint(t); }
  if (m.metricFamilyName) w.stringField(2, m.metricFamilyName);
  if (m.help) w.stringField(4, m.help);
  if (m.unit) w.stringField(5, m.unit);
  w.endLen(mark);
}

/**
 * Encodes a WriteRequest. Returns a view into `w`'s buffer (valid until its next reset); pass no
 * writer to get a buffer of your own.
 */
export function encodeWriteRequest(series: readonly SeriesSamples[], metadata: readonly MetricMetadata[] = [], w = new ProtoWriter(), extraLabels?: Labels): Uint8Array {
  w.reset();
  for (const s of series) writeTimeSeries(w, 1, s, extraLabels);
  for (const m of metadata) writeMetadata(w, m);
  return w.bytes();
}
