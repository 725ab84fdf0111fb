/**
 * @module core/exposition/openmetrics-validate
 * The semantic rules of OpenMetrics 1.0 that go beyond line syntax, applied by the OpenMetrics parser in
 * strict mode (a validator, like the OpenMetrics test suite's reference parser).
 *
 * Rules: a family's metadata comes before its samples and appears at most once per kind; family names
 * (with their type's sample suffixes) never clash or reappear; a UNIT is a suffix of the family name and
 * is not used on info/stateset; samples of one label group are contiguous, with timestamps either always
 * or never present and never going backwards; counter-like values (`_total`, `_sum`, `_count`, `_bucket`,
 * `_gcount`, `_gsum`) are not NaN and, except `_gsum`, not negative; bucket and count values are
 * integers; `le` and `quantile` are numbers (`+Inf` spelled exactly so); quantiles lie in [0, 1] with
 * non-negative values; stateset values are 0 or 1 and carry the family label; info values are 1;
 * exemplars only on counter `_total` and (gauge)histogram `_bucket`; and each histogram group has ordered
 * buckets ending at +Inf, non-decreasing bucket counts, `_count` equal to the +Inf bucket, `_sum` only
 * with `_count` and without negative buckets, a negative `_gsum` only with negative buckets.
 *
 * The validator only reads the parser's current sample; it keeps per-family state and reports errors
 * through the callback it is given (so positions come from the parser).
 */
import type { MetricType } from "../model/metric-family.ts";
import type { ExpositionParseError } from "./errors.ts";
import { quoteFragment } from "./errors.ts";
import type { EntryKind } from "./parser-base.ts";
import { parseFloatToken } from "./number.ts";
import { formatGoFloat } from "./float.ts";

/** The sample accessors the validator needs (implemented by the OpenMetrics parser). */
export interface ValidatedSample {
  metricName(): string;
  labelPairs(): [string, string][];
  readonly value: number;
}

/** Sample-name suffixes each type claims for the name-clash check (as the reference parser does). */
const CLAIMED_SUFFIXES: Partial<Record<MetricType, readonly string[]>> = {
  counter: ["_total", "_created"],
  summary: ["_count", "_sum", "_created"],
  histogram: ["_count", "_sum", "_bucket", "_created"],
  gaugehistogram: ["_gcount", "_gsum", "_bucket"],
  info: ["_info"],
};

const ALLOWED_SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ["_total", "_created"],
  summary: ["", "_count", "_sum", "_created"],
  histogram: ["_count", "_sum", "_bucket", "_created"],
  gaugehistogram: ["_gcount", "_gsum", "_bucket"],
  info: ["_info"],
  gauge: [""],
  stateset: [""],
  unknown: [""],
  untyped: [""],
};

interface HistogramRun {
  key: string;
  bucket: number | null;
  value: number;
  count: number | null;
  negBuckets: boolean;
  sum: boolean;
  gsum: boolean;
  negGsum: boolean;
}

/** Applies OpenMetrics's semantic rules to a stream of metadata and samples. */
export class OpenMetricsValidator {
  readonly #error: (at: number, msg: string) => ExpositionParseError;
  #seenNames = new Set<string>();
  #name: string | null = null;
  #type: MetricType | null = null;
  #help: string | null = null;
  #unit: string | null = null;
  #samples = 0;
  #allowed: readonly string[] = [];
  #group: string | null = null;
  #groupTs: number | undefined = undefined;
  #seenGroups = new Set<string>();
  #run: HistogramRun | null = null;

  constructor(error: (at: number, msg: string) => ExpositionParseError) {
    this.#error = error;
  }

  #fail(at: number, msg: string): never {
    throw this.#error(at, msg);
  }

  /** Checks a metadata line at offset `at`. */
  meta(at: number, kind: EntryKind, name: string, text: string, type: MetricType | undefined): void {
    if (name === this.#name && this.#samples > 0) this.#fail(at, `metadata for ${quoteFragment(name)} after its samples`);
    if (name !== this.#name) {
      this.#finishFamily(at);
      this.#start(name, null);
    }
    if (kind === "help") {
      if (this.#help !== null) this.#fail(at, `more than one HELP for ${quoteFragment(name)}`);
      this.#help = text;
    } else if (kind === "type") {
      if (this.#type !== null) this.#fail(at, `more than one TYPE for ${quoteFragment(name)}`);
      this.#type = type!;
      this.#allowed = ALLOWED_SUFFIXES[type!].map((s) => name + s);
    } else {
      if (this.#unit !== null) this.#fail(at, `more than one UNIT for ${quoteFragment(name)}`);
      this.#unit = text;
    }
  }

  /** Checks the parser's current sample (line starting at `at`); `tsSeconds` is its raw timestamp. */
  sample(at: number, p: ValidatedSample, tsSeconds: number | undefined, hasExemplar: boolean): void {
    const sname = p.metricName();
    if (this.#name === null || !this.#allowed.includes(sname)) {
      this.#finishFamily(at);
      this.#start(sname, "unknown");
    }
    const name = this.#name!;
    const type = this.#type ?? "unknown";
    this.#samples++;
    const labels = p.labelPairs();
    const get = (k: string): string | undefined => labels.find((l) => l[0] === k)?.[1];
    const v = p.value;
    const suffix = sname.slice(name.length);
    const isBucket = (type === "histogram" || type === "gaugehistogram") && suffix === "_bucket";
    const isQuantile = type === "summary" && suffix === "";

    if (type === "stateset" && get(name) === undefined) this.#fail(at, `stateset sample without the ${quoteFragment(name)} label`);
    let le = NaN;
    if (isBucket) {
      const raw = get("le");
      const f = raw === undefined ? undefined : parseFloatToken(raw, 0, raw.length);
      if (raw === undefined || f === undefined || f !== f || (f === Infinity && raw !== "+Inf")) {
        this.#fail(at, `invalid le label ${raw === undefined ? "(missing)" : quoteFragment(raw)}: want a number, with +Inf spelled "+Inf"`);
      }
      le = f;
      if (!Number.isInteger(v) && v === v) this.#fail(at, `bucket value ${v} is not an integer`);
    }
    if ((suffix === "_count" || suffix === "_gcount") && !Number.isInteger(v) && v === v) this.#fail(at, `count value ${v} is not an integer`);
    if (isQuantile) {
      const raw = get("quantile");
      const f = raw === undefined ? undefined : parseFloatToken(raw, 0, raw.length);
      if (f === undefined || !(f >= 0 && f <= 1)) this.#fail(at, `invalid quantile label ${raw === undefined ? "(missing)" : quoteFragment(raw)}: want a number in [0, 1]`);
    }

    // Grouping and timestamps.
    const g = groupKey(labels, type === "info" ? null : isBucket ? "le" : isQuantile ? "quantile" : type === "stateset" ? name : undefined);
    if (this.#group !== null && g !== this.#group && this.#seenGroups.has(g)) this.#fail(at, `samples of ${quoteFragment(name)} with the same labels must be contiguous`);
    if (this.#group !== null && g === this.#group) {
      if ((tsSeconds === undefined) !== (this.#groupTs === undefined)) this.#fail(at, "mix of samples with and without timestamps within a group");
      if (this.#groupTs !== undefined && tsSeconds! < this.#groupTs && type !== "info") this.#fail(at, "timestamps went backwards within a group");
    }
    this.#group = g;
    this.#groupTs = tsSeconds;
    this.#seenGroups.add(g);

    // Values.
    if (type === "stateset" && v !== 0 && v !== 1) this.#fail(at, `stateset value ${v} is not 0 or 1`);
    if (type === "info" && v !== 1) this.#fail(at, `info value ${v} is not 1`);
    if (isQuantile && v < 0) this.#fail(at, `quantile value ${formatGoFloat(v)} is negative`);
    const counterLike = suffix === "_total" || suffix === "_sum" || suffix === "_count" || suffix === "_bucket" || suffix === "_gcount" || suffix === "_gsum";
    if (counterLike && v !== v) this.#fail(at, `${sname} value is NaN`);
    if (counterLike && suffix !== "_gsum" && v < 0) this.#fail(at, `${sname} value ${formatGoFloat(v)} is negative`);
    if (hasExemplar && !(isBucket || (type === "counter" && suffix === "_total"))) {
      this.#fail(at, "exemplars are only allowed on counter _total and histogram/gaugehistogram _bucket samples");
    }
    if ((type === "histogram" || type === "gaugehistogram") && suffix !== "") this.#histogram(at, g + "\xfe" + String(tsSeconds), suffix, v, le);
  }

  /** Called at `# EOF` (offset `at`). */
  finish(at: number): void {
    this.#finishFamily(at);
  }

  #start(name: string, type: MetricType | null): void {
    this.#name = name;
    this.#type = type;
    this.#help = null;
    this.#unit = null;
    this.#samples = 0;
    this.#allowed = type === null ? [name] : ALLOWED_SUFFIXES[type].map((s) => name + s);
    this.#group = null;
    this.#groupTs = undefined;
    this.#seenGroups = new Set();
    this.#run = null;
  }

  #finishFamily(at: number): void {
    const name = this.#name;
    if (name === null) return;
    const type = this.#type ?? "unknown";
    for (const suf of ["", ...(CLAIMED_SUFFIXES[type] ?? [])]) {
      if (this.#seenNames.has(name + suf)) this.#fail(at, `clashing name: ${quoteFragment(name + suf)} is used by two metric families`);
      this.#seenNames.add(name + suf);
    }
    const unit = this.#unit;
    if (unit) {
      if (!name.endsWith("_" + unit)) this.#fail(at, `unit ${quoteFragment(unit)} is not a suffix of the metric name ${quoteFragment(name)}`);
      if (type === "info" || type === "stateset") this.#fail(at, `units are not allowed on ${type} metrics (${quoteFragment(name)})`);
    }
    if (this.#run !== null) this.#checkRun(at, this.#run);
    this.#name = null;
  }

  #histogram(at: number, key: string, suffix: string, v: number, le: number): void {
    let r = this.#run;
    if (r === null || r.key !== key) {
      if (r !== null) this.#checkRun(at, r);
      r = { key, bucket: null, value: 0, count: null, negBuckets: false, sum: false, gsum: false, negGsum: false };
      this.#run = r;
    }
    if (suffix === "_bucket") {
      if (le < 0) r.negBuckets = true;
      if (r.bucket !== null && le <= r.bucket) this.#fail(at, "histogram buckets are out of order: le must increase");
      if (v < r.value) this.#fail(at, "histogram bucket counts must not decrease");
      r.bucket = le;
      r.value = v;
    } else if (suffix === "_count" || suffix === "_gcount") r.count = v;
    else if (suffix === "_sum") r.sum = true;
    else if (suffix === "_gsum") {
      r.gsum = true;
      if (v < 0) r.negGsum = true;
    }
  }

  #checkRun(at: number, r: HistogramRun): void {
    const name = quoteFragment(this.#name ?? "");
    if (r.bucket !== Infinity) this.#fail(at, `histogram ${name} has no +Inf bucket`);
    if (r.count !== null && r.value !== r.count) this.#fail(at, `histogram ${name}: count ${r.count} does not match the +Inf bucket ${r.value}`);
    if (r.sum && r.count === null) this.#fail(at, `histogram ${name}: _count must be present if _sum is present`);
    if (r.gsum && r.count === null) this.#fail(at, `histogram ${name}: _gcount must be present if _gsum is present`);
    if (!r.sum && !r.gsum && r.count !== null) this.#fail(at, `histogram ${name}: _sum/_gsum must be present if _count is present`);
    if (r.negBuckets && r.sum) this.#fail(at, `histogram ${name}: _sum is not allowed with negative buckets`);
    if (!r.negBuckets && r.negGsum) this.#fail(at, `histogram ${name}: negative _gsum is only allowed with negative buckets`);
  }
}

/** A stable key for a label group: sorted pairs without `drop` (null → one group for everything). */
function groupKey(labels: [string, string][], drop: string | null | undefined): string {
  if (drop === null) return "";
  const kept = labels.filter((l) => l[0] !== drop).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let out = "";
  for (const [n, v] of kept) out += n + "\xff" + v + "\xff";
  return out;
}
