/**
 * @module core/push/otlp/decode
 * Decoder for OTLP metrics over HTTP (opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest,
 * binary protobuf) into plain objects, with the wire primitives of core/remote/proto. Field numbers
 * (opentelemetry-proto metrics/v1, common/v1, resource/v1):
 * - ExportMetricsServiceRequest{resource_metrics=1}; ResourceMetrics{resource=1, scope_metrics=2};
 *   Resource{attributes=1}; ScopeMetrics{scope=1, metrics=2}; InstrumentationScope{name=1, version=2};
 * - Metric{name=1, description=2, unit=3, gauge=5, sum=7, histogram=9, exponential_histogram=10, summary=11};
 *   Gauge{data_points=1}; Sum{data_points=1, aggregation_temporality=2, is_monotonic=3};
 *   Histogram{data_points=1, aggregation_temporality=2}; Summary{data_points=1};
 * - NumberDataPoint{start_time_unix_nano=2 fixed64, time_unix_nano=3 fixed64, as_double=4, as_int=6 sfixed64,
 *   attributes=7, flags=8}; HistogramDataPoint{time=3, count=4 fixed64, sum=5, bucket_counts=6 (fixed64),
 *   explicit_bounds=7 (double), attributes=9, flags=10}; SummaryDataPoint{time=3, count=4, sum=5,
 *   quantile_values=6 {quantile=1, value=2}, attributes=7, flags=8};
 * - KeyValue{key=1, value=2}; AnyValue{string=1, bool=2, int=3, double=4, array=5, kvlist=6, bytes=7}.
 * Times become ms (floor of ns / 1e6). Attribute values become strings as Prometheus renders them.
 */
import { Buffer } from "node:buffer";
import { ProtoError, ProtoReader, WireType } from "../../remote/proto/wire.ts";

/** Aggregation temporality. */
export const Temporality = { Unspecified: 0, Delta: 1, Cumulative: 2 } as const;

/** Attributes as key → string value. */
export type Attributes = Map<string, string>;

/** A data point of any kind. */
export interface OtlpPoint {
  attributes: Attributes;
  /** ms */
  time: number;
  /** Gauge/sum value. */
  value: number;
  /** DataPointFlags.FLAG_NO_RECORDED_VALUE (1): a staleness marker. */
  noRecordedValue: boolean;
  count: number;
  sum?: number;
  bucketCounts: number[];
  explicitBounds: number[];
  quantiles: Array<[number, number]>;
}

/** A metric of one of the supported kinds. */
export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  kind: "gauge" | "sum" | "histogram" | "exponential_histogram" | "summary" | "none";
  monotonic: boolean;
  temporality: number;
  points: OtlpPoint[];
}

/** A resource with its metrics. */
export interface OtlpResourceMetrics {
  resource: Attributes;
  scopes: Array<{ name: string; version: string; metrics: OtlpMetric[] }>;
}

function nanosToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

function anyValue(r: ProtoReader): string {
  let out = "";
  while (r.more()) {
    const tag = r.uint32();
    const f = tag >>> 3, wt = tag & 7;
    if (f === 1 && wt === WireType.Len) out = r.string();
    else if (f === 2 && wt === WireType.Varint) out = r.uint32() ? "true" : "false";
    else if (f === 3 && wt === WireType.Varint) out = String(r.int64());
    else if (f === 4 && wt === WireType.Fixed64) out = String(r.double());
    else if (f === 5 && wt === WireType.Len) {
      // ArrayValue{values=1}: rendered as a JSON array, as Prometheus does.
      const vals: string[] = [];
      r.message((a) => { while (a.more()) { const t = a.uint32(); if (t === 10) vals.push(a.message(anyValue)); else a.skip(t & 7); } });
      out = JSON.stringify(vals);
    } else if (f === 7 && wt === WireType.Len) {
      const e = r.lenEnd();
      out = Buffer.from(r.buf.subarray(r.pos, e)).toString("base64");
      r.pos = e;
    } else r.skip(wt);
  }
  return out;
}

function keyValue(r: ProtoReader, into: Attributes): void {
  let key = "", value = "";
  while (r.more()) {
    const tag = r.uint32();
    if (tag === 10) key = r.string();
    else if (tag === 18) value = r.message(anyValue);
    else r.skip(tag & 7);
  }
  into.set(key, value);
}

function newPoint(): OtlpPoint {
  return { attributes: new Map(), time: 0, value: 0, noRecordedValue: false, count: 0, bucketCounts: [], explicitBounds: [], quantiles: [] };
}

function numberPoint(r: ProtoReader): OtlpPoint {
  const p = newPoint();
  while (r.more()) {
    const tag = r.uint32();
    const f = tag >>> 3, wt = tag & 7;
    if (f === 3 && wt === WireType.Fixed64) p.time = nanosToMs(r.fixed64());
    else if (f === 4 && wt === WireType.Fixed64) p.value = r.double();
    else if (f === 6 && wt === WireType.Fixed64) p.value = Number(BigInt.asIntN(64, r.fixed64()));
    else if (f === 7 && wt === WireType.Len) r.message((k) => keyValue(k, p.attributes));
    else if (f === 8 && wt === WireType.Varint) p.noRecordedValue = (r.uint32() & 1) === 1;
    else r.skip(wt);
  }
  return p;
}

function histogramPoint(r: ProtoReader): OtlpPoint {
  const p = newPoint();
  while (r.more()) {
    const tag = r.uint32();
    const f = tag >>> 3, wt = tag & 7;
    if (f === 3 && wt === WireType.Fixed64) p.time = nanosToMs(r.fixed64());
    else if (f === 4 && wt === WireType.Fixed64) p.count = Number(r.fixed64());
    else if (f === 5 && wt === WireType.Fixed64) p.sum = r.double();
    else if (f === 6 && wt === WireType.Len) r.message((x) => { while (x.more()) p.bucketCounts.push(Number(x.fixed64())); });
    else if (f === 6 && wt === WireType.Fixed64) p.bucketCounts.push(Number(r.fixed64()));
    else if (f === 7 && wt === WireType.Len) r.message((x) => { while (x.more()) p.explicitBounds.push(x.double()); });
    else if (f === 7 && wt === WireType.Fixed64) p.explicitBounds.push(r.double());
    else if (f === 9 && wt === WireType.Len) r.message((k) => keyValue(k, p.attributes));
    else if (f === 10 && wt === WireType.Varint) p.noRecordedValue = (r.uint32() & 1) === 1;
    else r.skip(wt);
  }
  return p;
}

function summaryPoint(r: ProtoReader): OtlpPoint {
  const p = newPoint();
  while (r.more()) {
    const tag = r.uint32();
    const f = tag >>> 3, wt = tag & 7;
    if (f === 3 && wt === WireType.Fixed64) p.time = nanosToMs(r.fixed64());
    else if (f === 4 && wt === WireType.Fixed64) p.count = Number(r.fixed64());
    else if (f === 5 && wt === WireType.Fixed64) p.sum = r.double();
    else if (f === 6 && wt === WireType.Len) {
      p.quantiles.push(r.message((q) => {
        let qu = 0, v = 0;
        while (q.more()) { const t = q.uint32(); if (t === 9) qu = q.double(); else if (t === 17) v = q.double(); else q.skip(t & 7); }
        return [qu, v] as [number, number];
      }));
    } else if (f === 7 && wt === WireType.Len) r.message((k) => keyValue(k, p.attributes));
    else if (f === 8 && wt === WireType.Varint) p.noRecordedValue = (r.uint32() & 1) === 1;
    else r.skip(wt);
  }
  return p;
}

function dataBody(r: ProtoReader, m: OtlpMetric, point: (r: ProtoReader) => OtlpPoint): void {
  while (r.more()) {
    const tag = r.uint32();
    const f = tag >>> 3, wt = tag & 7;
    if (f === 1 && wt === WireType.Len) m.points.push(r.message(point));
    else if (f === 2 && wt === WireType.Varint) m.temporality = r.uint32();
    else if (f === 3 && wt === WireType.Varint) m.monotonic = r.uint32() !== 0;
    else r.skip(wt);
  }
}

function metric(r: ProtoReader): OtlpMetric {
  const m: OtlpMetric = { name: "", description: "", unit: "", kind: "none", monotonic: false, temporality: 0, points: [] };
  while (r.more()) {
    const tag = r.uint32();
    const f = tag >>> 3, wt = tag & 7;
    if (f === 1 && wt === WireType.Len) m.name = r.string();
    else if (f === 2 && wt === WireType.Len) m.description = r.string();
    else if (f === 3 && wt === WireType.Len) m.unit = r.string();
    else if (f === 5 && wt === WireType.Len) { m.kind = "gauge"; r.message((x) => dataBody(x, m, numberPoint)); }
    else if (f === 7 && wt === WireType.Len) { m.kind = "sum"; r.message((x) => dataBody(x, m, numberPoint)); }
    else if (f === 9 && wt === WireType.Len) { m.kind = "histogram"; r.message((x) => dataBody(x, m, histogramPoint)); }
    else if (f === 10 && wt === WireType.Len) { m.kind = "exponential_histogram"; r.skip(wt); }
    else if (f === 11 && wt === WireType.Len) { m.kind = "summary"; r.message((x) => dataBody(x, m, summaryPoint)); }
    else r.skip(wt);
  }
  return m;
}

/** Decodes an ExportMetricsServiceRequest. Throws ProtoError (bad_data) on malformed input. */
export function decodeExportMetricsRequest(buf: Uint8Array): OtlpResourceMetrics[] {
  const r = new ProtoReader(buf);
  const out: OtlpResourceMetrics[] = [];
  while (r.more()) {
    const tag = r.uint32();
    if (tag !== 10) { r.skip(tag & 7); continue; }
    out.push(r.message((rm) => {
      const res: OtlpResourceMetrics = { resource: new Map(), scopes: [] };
      while (rm.more()) {
        const t = rm.uint32();
        if (t === 10) rm.message((x) => { while (x.more()) { const u = x.uint32(); if (u === 10) x.message((k) => keyValue(k, res.resource)); else x.skip(u & 7); } });
        else if (t === 18) {
          res.scopes.push(rm.message((sm) => {
            const scope = { name: "", version: "", metrics: [] as OtlpMetric[] };
            while (sm.more()) {
              const u = sm.uint32();
              if (u === 10) sm.message((s) => { while (s.more()) { const v = s.uint32(); if (v === 10) scope.name = s.string(); else if (v === 18) scope.version = s.string(); else s.skip(v & 7); } });
              else if (u === 18) scope.metrics.push(sm.message(metric));
              else sm.skip(u & 7);
            }
            return scope;
          }));
        } else rm.skip(t & 7);
      }
      return res;
    }));
  }
  return out;
}
