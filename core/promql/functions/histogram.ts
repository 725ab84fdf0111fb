/**
 * @module core/promql/functions/histogram
 * Histogram functions over classic (`le`-bucketed) histograms: histogram_quantile and
 * histogram_fraction. Series are grouped by their labels without `le` and `__name__`; per step the
 * present buckets are sorted, equal bounds coalesced, float precision errors and non-monotonic counts
 * corrected (reported as an info annotation). The native-histogram accessors (histogram_count,
 * histogram_sum, histogram_avg, histogram_stddev, histogram_stdvar, histogram_quantiles) ignore float
 * samples, so over float-only storage they return empty vectors.
 */
import { METRIC_NAME, type Labels } from "../../model/labels.ts";
import type { QueryContext } from "../engine/context.ts";
import { formatG } from "../engine/eval-aggregate.ts";
import { newStepSeries, type StepSeries, type VectorValue } from "../engine/types.ts";
import type { PosRange } from "../parser/ast.ts";
import { isNameBound, mergeSameLabels } from "../engine/labels-util.ts";
import { scalarArg, stringArg, vectorArg, type FunctionImpl } from "./types.ts";

/** Parses a float the way Go's strconv.ParseFloat does for `le` values (null when malformed). */
export function parseGoFloat(s: string): number | null {
  const t = s.trim() === s ? s : "";
  const l = t.toLowerCase();
  if (l === "+inf" || l === "inf" || l === "+infinity" || l === "infinity") return Infinity;
  if (l === "-inf" || l === "-infinity") return -Infinity;
  if (l === "nan") return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  return Number(t);
}

interface Bucket {
  ub: number;
  c: number;
}

interface BucketGroup {
  labels: Labels;
  members: Array<{ ub: number; s: StepSeries }>;
  name: string;
}

function groupBuckets(v: VectorValue, ctx: QueryContext, pos: PosRange): BucketGroup[] {
  const map = new Map<string, BucketGroup>();
  const out: BucketGroup[] = [];
  for (const s of v.series) {
    const le = s.labels.get("le");
    const ub = parseGoFloat(le);
    if (ub === null || !s.labels.has("le")) {
      ctx.warn(pos, `bucket label "le" is missing or has a malformed value of "${le}" for metric name "${s.labels.get(METRIC_NAME)}"`);
      continue;
    }
    const gl = s.labels.filter((n) => n !== "le" && !isNameBound(n));
    const k = gl.key();
    let g = map.get(k);
    if (!g) {
      g = { labels: gl, members: [], name: s.labels.get(METRIC_NAME) };
      map.set(k, g);
      out.push(g);
    }
    g.members.push({ ub, s });
  }
  return out;
}

function prepare(bs: Bucket[]): { ok: boolean; buckets: Bucket[]; forced: boolean } {
  bs.sort((a, b) => a.ub - b.ub);
  if (bs.length === 0 || bs[bs.length - 1]!.ub !== Infinity) return { ok: false, buckets: bs, forced: false };
  // Coalesce equal bounds.
  const co: Bucket[] = [];
  for (const b of bs) {
    const last = co[co.length - 1];
    if (last && last.ub === b.ub) last.c += b.c;
    else co.push({ ub: b.ub, c: b.c });
  }
  // Correct tiny precision errors, then force monotonicity.
  let prev = co[0]!.c;
  for (let i = 1; i < co.length; i++) {
    const cur = co[i]!.c;
    const d = Math.abs(cur - prev);
    if (d === 0) continue;
    if (d / cur <= 1e-12) co[i]!.c = prev;
    else prev = cur;
  }
  let forced = false, max = co[0]!.c;
  for (let i = 1; i < co.length; i++) {
    if (co[i]!.c > max) max = co[i]!.c;
    else if (co[i]!.c < max) {
      co[i]!.c = max;
      forced = true;
    }
  }
  return { ok: true, buckets: co, forced };
}

/** Quantile of classic buckets (linear interpolation within the bucket; natural lower bound 0). */
export function bucketQuantile(q: number, raw: Bucket[]): { v: number; forced: boolean } {
  if (Number.isNaN(q)) return { v: NaN, forced: false };
  if (q < 0) return { v: -Infinity, forced: false };
  if (q > 1) return { v: Infinity, forced: false };
  const { ok, buckets, forced } = prepare(raw);
  if (!ok) return { v: NaN, forced: false };
  if (buckets.length < 2) return { v: NaN, forced: false };
  const obs = buckets[buckets.length - 1]!.c;
  if (obs === 0 || Number.isNaN(obs)) return { v: NaN, forced: false };
  let rank = q * obs;
  let b = 0;
  while (b < buckets.length - 1 && !(buckets[b]!.c >= rank)) b++;
  if (b === buckets.length - 1) return { v: buckets[buckets.length - 2]!.ub, forced };
  if (b === 0 && buckets[0]!.ub <= 0) return { v: buckets[0]!.ub, forced };
  let start = 0, count = buckets[b]!.c;
  const end = buckets[b]!.ub;
  if (b > 0) {
    start = buckets[b - 1]!.ub;
    count -= buckets[b - 1]!.c;
    rank -= buckets[b - 1]!.c;
  }
  return { v: start + (end - start) * (rank / count), forced };
}

/** Fraction of observations in [lower, upper] for classic buckets. */
export function bucketFraction(lower: number, upper: number, raw: Bucket[]): number {
  const { ok, buckets } = prepare(raw);
  if (!ok) return NaN;
  const count = buckets[buckets.length - 1]!.c;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0, lowerRank = 0, upperRank = 0, lowerSet = false, upperSet = false;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    let lb = i > 0 ? buckets[i - 1]!.ub : b.ub > 0 ? 0 : -Infinity;
    const ubnd = b.ub;
    if (i === 0 && lb === -Infinity) lb = -Infinity;
    const bc = b.c - rank;
    // No interpolation inside a bucket of infinite width: it contributes nothing.
    const interp = (v: number) => rank + (bc * (v - lb)) / (ubnd - lb);
    if (!lowerSet && lb >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lb >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lb < lower && ubnd > lower) {
      lowerRank = lb === -Infinity ? b.c : ubnd === Infinity ? rank : interp(lower);
      lowerSet = true;
    }
    if (!upperSet && lb < upper && ubnd > upper) {
      upperRank = lb === -Infinity || ubnd === Infinity ? rank : interp(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = b.c;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}

function perGroup(
  v: VectorValue, n: number, ctx: QueryContext, pos: PosRange,
  fn: (bs: Bucket[], i: number, g: BucketGroup) => number,
): VectorValue {
  const out: StepSeries[] = [];
  for (const g of groupBuckets(v, ctx, pos)) {
    const r = newStepSeries(g.labels, n, true);
    let any = false;
    for (let i = 0; i < n; i++) {
      const bs: Bucket[] = [];
      for (const m of g.members) if (m.s.has[i]) bs.push({ ub: m.ub, c: m.s.vals[i]! });
      if (bs.length === 0) continue;
      r.vals[i] = fn(bs, i, g);
      r.has[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return { kind: "vector", series: out };
}

function warnQuantiles(a: Parameters<FunctionImpl>[0], q: Float64Array, argIdx: number): void {
  const seen = new Set<string>();
  for (const qv of q) {
    if (qv >= 0 && qv <= 1) continue;
    if (seen.has(String(qv))) continue;
    seen.add(String(qv));
    a.ctx.warn(a.call.args[argIdx]!.pos, `quantile value should be between 0 and 1, got ${formatG(qv)}`);
  }
}

function reportForced(a: Parameters<FunctionImpl>[0], names: Set<string>, argIdx: number): void {
  for (const name of names) {
    a.ctx.info(a.call.args[argIdx]!.pos, `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "${name}"`);
  }
}

const histogramQuantile: FunctionImpl = (a) => {
  const q = scalarArg(a, 0);
  const v = vectorArg(a, 1);
  warnQuantiles(a, q, 0);
  const forcedNames = new Set<string>();
  const res = perGroup(v, a.grid.n, a.ctx, a.call.args[1]!.pos, (bs, i, g) => {
    const r = bucketQuantile(q[i]!, bs);
    if (r.forced) forcedNames.add(g.name);
    return r.v;
  });
  reportForced(a, forcedNames, 1);
  return res;
};

/** Formats a quantile for the label of histogram_quantiles (always with a decimal point). */
function quantileLabel(q: number): string {
  const s = formatG(q);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

const histogramQuantiles: FunctionImpl = (a) => {
  const v = vectorArg(a, 0);
  const label = stringArg(a, 1);
  const qs: Float64Array[] = [];
  for (let k = 2; k < a.args.length; k++) {
    const q = scalarArg(a, k);
    warnQuantiles(a, q, k);
    qs.push(q);
  }
  const forcedNames = new Set<string>();
  const out: StepSeries[] = [];
  const groups = groupBuckets(v, a.ctx, a.call.args[0]!.pos);
  qs.forEach((q) => {
    for (const g of groups) {
      const byLabel = new Map<string, StepSeries>();
      for (let i = 0; i < a.grid.n; i++) {
        const bs: Bucket[] = [];
        for (const m of g.members) if (m.s.has[i]) bs.push({ ub: m.ub, c: m.s.vals[i]! });
        if (bs.length === 0) continue;
        const r = bucketQuantile(q[i]!, bs);
        if (r.forced) forcedNames.add(g.name);
        const ql = quantileLabel(q[i]!);
        let s = byLabel.get(ql);
        if (!s) {
          s = newStepSeries(g.labels.builder().set(label, ql).labels(), a.grid.n, true);
          byLabel.set(ql, s);
          out.push(s);
        }
        s.vals[i] = r.v;
        s.has[i] = 1;
      }
    }
  });
  reportForced(a, forcedNames, 0);
  return { kind: "vector", series: mergeSameLabels(out) };
};

const histogramFraction: FunctionImpl = (a) => {
  const lo = scalarArg(a, 0), hi = scalarArg(a, 1);
  return perGroup(vectorArg(a, 2), a.grid.n, a.ctx, a.call.args[2]!.pos, (bs, i) => bucketFraction(lo[i]!, hi[i]!, bs));
};

const nativeOnly: FunctionImpl = () => ({ kind: "vector", series: [] });

/** Histogram implementations by name. */
export const HISTOGRAM_FUNCTIONS: Record<string, FunctionImpl> = {
  histogram_quantile: histogramQuantile,
  histogram_fraction: histogramFraction,
  histogram_count: nativeOnly,
  histogram_sum: nativeOnly,
  histogram_avg: nativeOnly,
  histogram_stddev: nativeOnly,
  histogram_stdvar: nativeOnly,
  histogram_quantiles: histogramQuantiles,
};
