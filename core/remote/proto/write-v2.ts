/**
 * @module core/remote/proto/write-v2
 * Remote write 2.0 `io.prometheus.write.v2.Request` (../shared/conformance/remote_write/io/prometheus/
 * write/v2/types.proto): `Request{symbols=4, timeseries=5}`, `TimeSeries{labels_refs=1 (packed uint32),
 * samples=2, histograms=3, exemplars=4, metadata=5}`, `Sample{value=1, timestamp=2, start_timestamp=3}`,
 * `Exemplar{labels_refs=1, value=2, timestamp=3}`, `Metadata{type=1, help_ref=3, unit_ref=4}`,
 * `Histogram{…, timestamp=15}`. Labels are indices into the request's string table, whose entry 0
 * must be the empty string.
 *
 * The decoder feeds the same {@link WriteRequestSink} as 1.0 (labels before samples, value bits kept);
 * it validates the symbol table and every reference (a bad one throws ProtoError → 400). The encoder
 * builds the symbol table per request, interning each distinct string once.
 */
import { STALE_NAN_HI, STALE_NAN_LO } from "../../model/value.ts";
import { labelsFromPairs, METADATA_TYPES, type SeriesSamples, type WriteRequestSink } from "./write.ts";
import { ProtoError, ProtoReader, ProtoWriter, WireType } from "./wire.ts";

/** Content type of a 2.0 request. */
export const RW2_CONTENT_TYPE = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

function readRefs(r: ProtoReader, wt: number, into: number[]): void {
  if (wt === WireType.Len) {
    const e = r.lenEnd();
    const outer = r.end;
    r.end = e;
    while (r.more()) into.push(r.uint32());
    r.end = outer;
  } else if (wt === WireType.Varint) into.push(r.uint32());
  else r.skip(wt);
}

function resolve(symbols: string[], refs: number[], what: string): Array<[string, string]> {
  if (refs.length % 2 !== 0) throw new ProtoError(`${what}: odd number of label references (${refs.length})`);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < refs.length; i += 2) {
    const n = symbols[refs[i]!], v = symbols[refs[i + 1]!];
    if (n === undefined || v === undefined) throw new ProtoError(`${what}: label reference out of range (symbols: ${symbols.length})`);
    pairs.push([n, v]);
  }
  return pairs;
}

/** Counts of what a 2.0 request carried (for the X-Prometheus-Remote-Write-*-Written headers). */
export interface V2Counts {
  samples: number;
  histograms: number;
  exemplars: number;
}

/**
 * Decodes a (decompressed) 2.0 Request into `sink`. Symbols must precede the series that use them
 * (protobuf field order 4 before 5, as every encoder writes them); throws ProtoError otherwise.
 */
export function decodeWriteRequestV2(buf: Uint8Array, sink: WriteRequestSink): V2Counts {
  const r = new ProtoReader(buf);
  const symbols: string[] = [];
  const counts: V2Counts = { samples: 0, histograms: 0, exemplars: 0 };
  let sawSeries = false;
  while (r.more()) {
    const tag = r.uint32();
    const f = tag >>> 3, wt = tag & 7;
    if (f === 4 && wt === WireType.Len) {
      if (sawSeries) throw new ProtoError("symbols must come before timeseries");
      symbols.push(r.string());
    } else if (f === 5 && wt === WireType.Len) {
      if (!sawSeries && symbols.length > 0 && symbols[0] !== "") throw new ProtoError("symbols[0] must be the empty string");
      sawSeries = true;
      const end = r.lenEnd();
      const outer = r.end;
      r.end = end;
      const start = r.pos;
      const refs: number[] = [];
      while (r.more()) {
        const t = r.uint32();
        if (t >>> 3 === 1) readRefs(r, t & 7, refs);
        else r.skip(t & 7);
      }
      const { labels, dup } = labelsFromPairs(resolve(symbols, refs, "timeseries"));
      sink.series(labels, dup);
      r.pos = start;
      while (r.more()) {
        const t = r.uint32();
        const tf = t >>> 3, twt = t & 7;
        if (tf === 2 && twt === WireType.Len) {
          const e = r.lenEnd();
          const o2 = r.end;
          r.end = e;
          let ts = 0, v = 0, stale = false;
          while (r.more()) {
            const u = r.uint32();
            if (u === 9) {
              if (r.pos + 8 > r.end) throw new ProtoError("unexpected end of input in sample value");
              const lo = r.view.getUint32(r.pos, true), hi = r.view.getUint32(r.pos + 4, true);
              stale = hi === STALE_NAN_HI && lo === STALE_NAN_LO;
              v = r.view.getFloat64(r.pos, true);
              r.pos += 8;
            } else if (u === 16) ts = r.int64();
            else r.skip(u & 7);
          }
          r.end = o2;
          r.pos = e;
          sink.sample(ts, v, stale);
          counts.samples++;
        } else if (tf === 3 && twt === WireType.Len) {
          const e = r.lenEnd();
          const o2 = r.end;
          r.end = e;
          let ts = 0;
          while (r.more()) { const u = r.uint32(); if (u === 120) ts = r.int64(); else r.skip(u & 7); }
          r.end = o2;
          r.pos = e;
          sink.histogram(ts);
          counts.histograms++;
        } else if (tf === 4 && twt === WireType.Len) {
          const e = r.lenEnd();
          const o2 = r.end;
          r.end = e;
          const erefs: number[] = [];
          let value = 0, timestamp = 0;
          while (r.more()) {
            const u = r.uint32();
            if (u >>> 3 === 1) readRefs(r, u & 7, erefs);
            else if (u === 17) value = r.double();
            else if (u === 24) timestamp = r.int64();
            else r.skip(u & 7);
          }
          r.end = o2;
          r.pos = e;
          sink.exemplar?.({ labels: labelsFromPairs(resolve(symbols, erefs, "exemplar")).labels, value, timestamp });
          counts.exemplars++;
        } else if (tf === 5 && twt === WireType.Len) {
          const e = r.lenEnd();
          const o2 = r.end;
          r.end = e;
          let type = 0, help = 0, unit = 0;
          while (r.more()) {
            const u = r.uint32();
            if (u === 8) type = r.uint32();
            else if (u === 24) help = r.uint32();
            else if (u === 32) unit = r.uint32();
            else r.skip(u & 7);
          }
          r.end = o2;
          r.pos = e;
          if (symbols[help] === undefined || symbols[unit] === undefined) throw new ProtoError("metadata: symbol reference out of range");
          sink.metadata?.({ type: METADATA_TYPES[type] ?? "unknown", metricFamilyName: labels.metricName, help: symbols[help]!, unit: symbols[unit]! });
        } else r.skip(twt);
      }
      r.end = outer;
      r.pos = end;
    } else r.skip(wt);
  }
  return counts;
}

/**
 * Encodes a 2.0 Request (samples only; one TimeSeries per entry). Returns a view into `w`'s buffer
 * (valid until its next reset).
 */
export function encodeWriteRequestV2(series: readonly SeriesSamples[], w = new ProtoWriter()): Uint8Array {
  const index = new Map<string, number>([["", 0]]);
  const symbols: string[] = [""];
  const sym = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = symbols.length;
      symbols.push(s);
      index.set(s, i);
    }
    return i;
  };
  const refs = series.map((s) => s.labels.flat.map(sym));
  w.reset();
  for (const s of symbols) w.stringField(4, s);
  series.forEach((s, k) => {
    const m = w.beginLen(5);
    const lr = w.beginLen(1);
    for (const x of refs[k]!) w.uvarint(x);
    w.endLen(lr);
    const bytes = new Uint8Array(s.values.buffer, s.values.byteOffset, s.values.byteLength);
    const from = s.from ?? 0, to = s.to ?? s.timestamps.length;
    for (let i = from; i < to; i++) {
      const sm = w.beginLen(2);
      w.tag(1, WireType.Fixed64);
      w.fixed64From(bytes, i * 8);
      const t = s.timestamps[i]!;
      if (t !== 0) { w.tag(2, WireType.Varint); w.int64(t); }
      w.endLen(sm);
    }
    w.endLen(m);
  });
  return w.bytes();
}
