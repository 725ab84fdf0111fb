/**
 * @module core/exposition/parser-base
 * The pull-parser contract ({@link ExpositionParser}) and the scanning machinery both text parsers share.
 *
 * Design (the scrape hot path): the parser walks the decoded body with `charCodeAt` and never splits it
 * into lines. For a sample it records offsets only — metric name, and per label the name and value ranges
 * plus escape flags — in a reusable Int32Array. Strings are cut out of the body only when the caller asks
 * (`metricName()`, `labels()`, `forEachLabel()`), and `seriesKey()` returns the raw `name{labels}` text so
 * a scrape cache can find a known series without materialising its labels at all.
 *
 * Invariants: offsets recorded for the current entry stay valid until the next call to `next()`; the
 * input string is never modified; positions in errors are 1-based line and column.
 */
import type { Exemplar, MetricType } from "../model/metric-family.ts";
import { parseErrorAt, quoteFragment, type ExpositionParseError } from "./errors.ts";
import { isLabelNameChar, isLabelNameStart, isMetricNameChar, isMetricNameStart, unescapeLabelValue } from "./names.ts";
import { canonicalFloatLabel } from "./number.ts";

/** What `next()` found: a sample, or a metadata line for a metric family. */
export type EntryKind = "series" | "help" | "type" | "unit";

/**
 * A pull parser over one exposition body. Call `next()` until it returns null; after "series" read the
 * sample accessors, after "help"/"type"/"unit" the metadata accessors. Accessors are only valid until the
 * following `next()`.
 * @example
 * const p = createParser(body, "text");
 * for (let e = p.next(); e !== null; e = p.next()) if (e === "series") use(p.seriesKey(), p.value);
 */
export interface ExpositionParser {
  /** Advances to the next entry. @throws ExpositionParseError with line, column and reason. */
  next(): EntryKind | null;
  /** The raw series text `name{labels}` (or `{"name",labels}`) exactly as written, for cache lookups. */
  seriesKey(): string;
  /** The sample's metric name (unescaped when it was quoted). */
  metricName(): string;
  /** The sample's labels (not including the name) as a fresh object, in exposition order. */
  labels(): Record<string, string>;
  /** Calls `fn` for each label (not including the name) in exposition order; allocates only the strings. */
  forEachLabel(fn: (name: string, value: string) => void): void;
  /** Number of labels on the current sample (not including the name). */
  labelCount(): number;
  /** The sample value. */
  readonly value: number;
  /** The explicit timestamp in ms since the epoch, or undefined when the sample had none. */
  readonly timestampMs: number | undefined;
  /** The sample's exemplar (OpenMetrics only), or undefined. */
  exemplar(): Exemplar | undefined;
  /** The type of the family the current sample belongs to (from the preceding TYPE line), or unknown/untyped. */
  sampleType(): MetricType;
  /** The family name of the current metadata entry. */
  metaName(): string;
  /** The unescaped HELP text of a "help" entry. */
  helpText(): string;
  /** The type of a "type" entry. */
  metricType(): MetricType;
  /** The unit of a "unit" entry. */
  unit(): string;
}

/** Options shared by the parsers. */
export interface ParserOptions {
  /**
   * Validate like a linter instead of a scraper: the text format is checked as prometheus/common's expfmt
   * does, OpenMetrics against the full specification (grouping, histogram and value rules). Default false
   * (accept what Prometheus's scraper accepts).
   */
  strict?: boolean;
  /**
   * Rewrite numeric `le` (histogram buckets) and `quantile` (summary) label values into Prometheus's
   * canonical float text (`1` → `1.0`), as the Prometheus scraper does. Default true.
   */
  normalizeFloatLabels?: boolean;
}

// Label slot layout in `lab`: 5 ints per label.
const L_NS = 0, L_NE = 1, L_VS = 2, L_VE = 3, L_FL = 4, L_STRIDE = 5;
/** Label flag: the name was written quoted. */
export const F_NAME_QUOTED = 1;
/** Label flag: the (quoted) name contains a backslash. */
export const F_NAME_ESC = 2;
/** Label flag: the value contains a backslash. */
export const F_VALUE_ESC = 4;

/**
 * Whether `s` holds `lit` at offset `at`. A plain charCode loop: for the short names compared per sample it
 * beats `String.prototype.startsWith`, whose builtin call overhead dominates on V8.
 */
export function matchAt(s: string, at: number, lit: string): boolean {
  const n = lit.length;
  if (at + n > s.length) return false;
  for (let i = 0; i < n; i++) if (s.charCodeAt(at + i) !== lit.charCodeAt(i)) return false;
  return true;
}

/** The shared state and scanning helpers of the text and OpenMetrics parsers. */
export abstract class ParserBase implements ExpositionParser {
  protected readonly s: string;
  protected readonly len: number;
  protected pos = 0;
  protected readonly strict: boolean;
  protected readonly normalize: boolean;

  value = 0;
  timestampMs: number | undefined = undefined;

  protected seriesStart = 0;
  protected seriesEnd = 0;
  protected nameStart = 0;
  protected nameEnd = 0;
  protected nameQuoted = false;
  protected nameEsc = false;
  protected lab = new Int32Array(16 * L_STRIDE);
  protected labN = 0;
  /** First label slot that duplicate-name checks consider (exemplar labels start after the sample's). */
  protected labBase = 0;
  /** Which label to canonicalise for the current sample ("le", "quantile" or ""). */
  protected normLabel = "";
  protected curSampleType: MetricType = "unknown";
  /**
   * False until the current sample's family type and canonicalised label are worked out. That is done
   * lazily (only `sampleType()` and label accessors need it), which keeps the cache-hit path of a scrape
   * (`seriesKey()`, `value`, `timestampMs`) free of name comparisons.
   */
  protected classified = true;

  protected metaKind: EntryKind = "help";
  protected metaStart = 0;
  protected metaEnd = 0;
  protected metaQuoted = false;
  /** The quoted metadata name contains a backslash. */
  protected metaEsc = false;
  protected metaTextStart = 0;
  protected metaTextEnd = 0;
  protected metaTypeValue: MetricType = "unknown";

  /** Set by scanQuoted: the string held a backslash / an escape the strict grammar rejects / a raw newline. */
  protected qEsc = false;
  protected qBadEscape = -1;
  protected qNewline = -1;

  constructor(text: string, options: ParserOptions = {}) {
    this.s = text;
    this.len = text.length;
    this.strict = options.strict ?? false;
    this.normalize = options.normalizeFloatLabels ?? true;
  }

  abstract next(): EntryKind | null;
  abstract exemplar(): Exemplar | undefined;

  seriesKey(): string {
    return this.s.slice(this.seriesStart, this.seriesEnd);
  }

  metricName(): string {
    if (!this.nameQuoted) return this.s.slice(this.nameStart, this.nameEnd);
    return this.nameEsc ? unescapeLabelValue(this.s, this.nameStart, this.nameEnd) : this.s.slice(this.nameStart, this.nameEnd);
  }

  labelCount(): number {
    return this.labN;
  }

  labels(): Record<string, string> {
    if (!this.classified) this.ensureClassified();
    const out: Record<string, string> = {};
    const lab = this.lab;
    const s = this.s;
    for (let i = 0, o = 0; i < this.labN; i++, o += L_STRIDE) {
      const fl = lab[o + L_FL]!;
      const name = fl & F_NAME_ESC ? unescapeLabelValue(s, lab[o + L_NS]!, lab[o + L_NE]!) : s.slice(lab[o + L_NS]!, lab[o + L_NE]!);
      let value = fl & F_VALUE_ESC ? unescapeLabelValue(s, lab[o + L_VS]!, lab[o + L_VE]!) : s.slice(lab[o + L_VS]!, lab[o + L_VE]!);
      if (this.normLabel !== "" && name === this.normLabel) value = canonicalFloatLabel(value);
      if (name === "__proto__") setLabel(out, name, value);
      else out[name] = value;
    }
    return out;
  }

  forEachLabel(fn: (name: string, value: string) => void): void {
    if (!this.classified) this.ensureClassified();
    const lab = this.lab;
    const s = this.s;
    for (let i = 0, o = 0; i < this.labN; i++, o += L_STRIDE) {
      const fl = lab[o + L_FL]!;
      const name = fl & F_NAME_ESC ? unescapeLabelValue(s, lab[o + L_NS]!, lab[o + L_NE]!) : s.slice(lab[o + L_NS]!, lab[o + L_NE]!);
      let value = fl & F_VALUE_ESC ? unescapeLabelValue(s, lab[o + L_VS]!, lab[o + L_VE]!) : s.slice(lab[o + L_VS]!, lab[o + L_VE]!);
      if (this.normLabel !== "" && name === this.normLabel) value = canonicalFloatLabel(value);
      fn(name, value);
    }
  }

  sampleType(): MetricType {
    if (!this.classified) this.ensureClassified();
    return this.curSampleType;
  }

  /** Works out `curSampleType` and `normLabel` for the current sample (see `classified`). */
  protected abstract classify(): void;

  private ensureClassified(): void {
    this.classify();
    this.classified = true;
  }

  metaName(): string {
    const a = this.metaStart, b = this.metaEnd;
    return this.metaQuoted && this.metaEsc ? unescapeLabelValue(this.s, a, b) : this.s.slice(a, b);
  }

  abstract helpText(): string;

  metricType(): MetricType {
    return this.metaTypeValue;
  }

  unit(): string {
    return this.s.slice(this.metaTextStart, this.metaTextEnd);
  }

  // ---- scanning helpers ----

  /** Throws a parse error at offset `at`. */
  protected fail(at: number, reason: string): never {
    throw this.errorAt(at, reason);
  }

  protected errorAt(at: number, reason: string): ExpositionParseError {
    return parseErrorAt(this.s, at, reason);
  }

  /** Describes the character at `i` for messages ("end of input", "newline", or the quoted character). */
  protected describe(i: number): string {
    if (i >= this.len) return "end of input";
    const c = this.s.charCodeAt(i);
    if (c === 10) return "newline";
    const end = this.s.indexOf("\n", i);
    return quoteFragment(this.s.slice(i, end < 0 ? this.len : Math.min(end, i + 20)));
  }

  /** Index just past a legacy metric name starting at `i` (== i when none). */
  protected scanMetricName(i: number): number {
    const s = this.s;
    if (i < this.len && isMetricNameStart(s.charCodeAt(i))) {
      i++;
      while (i < this.len && isMetricNameChar(s.charCodeAt(i))) i++;
    }
    return i;
  }

  /** Index just past a legacy label name starting at `i` (== i when none). */
  protected scanLabelName(i: number): number {
    const s = this.s;
    if (i < this.len && isLabelNameStart(s.charCodeAt(i))) {
      i++;
      while (i < this.len && isLabelNameChar(s.charCodeAt(i))) i++;
    }
    return i;
  }

  /**
   * Scans a double-quoted string whose opening quote is at `open`; returns the index of the closing
   * quote. Sets `qEsc` (any backslash), `qBadEscape` (offset of an escape other than \\ \" \n, or -1) and
   * `qNewline` (offset of a raw newline, or -1). A raw newline ends the string with an error when
   * `allowNewline` is false.
   */
  protected scanQuoted(open: number, allowNewline: boolean): number {
    const s = this.s;
    const len = this.len;
    this.qEsc = false;
    this.qBadEscape = -1;
    this.qNewline = -1;
    let i = open + 1;
    for (;;) {
      if (i >= len) this.fail(open, "unterminated quoted string");
      const c = s.charCodeAt(i);
      if (c === 34) return i;
      if (c === 92) {
        this.qEsc = true;
        const d = s.charCodeAt(i + 1);
        if (d !== 92 && d !== 34 && d !== 110 && this.qBadEscape < 0) this.qBadEscape = i;
        if (i + 1 >= len) this.fail(open, "unterminated quoted string");
        i += 2;
        continue;
      }
      if (c === 10) {
        if (!allowNewline) this.fail(i, "unexpected newline in quoted string");
        if (this.qNewline < 0) this.qNewline = i;
      }
      i++;
    }
  }

  /** Records label `k` (growing the slot array when needed). */
  protected pushLabel(ns: number, ne: number, vs: number, ve: number, flags: number): void {
    let o = this.labN * L_STRIDE;
    if (o + L_STRIDE > this.lab.length) {
      const bigger = new Int32Array(this.lab.length * 2);
      bigger.set(this.lab);
      this.lab = bigger;
    }
    const lab = this.lab;
    lab[o++] = ns;
    lab[o++] = ne;
    lab[o++] = vs;
    lab[o++] = ve;
    lab[o] = flags;
    this.labN++;
  }

  /** Fails when the label just pushed repeats an earlier name, or is `__name__`. */
  protected checkLastLabel(at: number): void {
    const lab = this.lab;
    const s = this.s;
    const o = (this.labN - 1) * L_STRIDE;
    const ns = lab[o + L_NS]!, ne = lab[o + L_NE]!;
    const n = ne - ns;
    if (n === 8 && matchAt(s, ns, "__name__") && !(lab[o + L_FL]! & F_NAME_ESC)) {
      this.fail(at, "label name \"__name__\" is reserved: the metric name is given already");
    }
    const c0 = s.charCodeAt(ns);
    for (let p = this.labBase * L_STRIDE; p < o; p += L_STRIDE) {
      const qs = lab[p + L_NS]!;
      if (lab[p + L_NE]! - qs !== n || s.charCodeAt(qs) !== c0) continue;
      let same = true;
      for (let j = 1; j < n && same; j++) same = s.charCodeAt(qs + j) === s.charCodeAt(ns + j);
      if (same) this.fail(at, `duplicate label name ${quoteFragment(s.slice(ns, ne))}`);
    }
  }

  /** The value of label slot `k`, unescaped (used by validators; not on the hot path). */
  protected labelValueAt(k: number): string {
    const o = k * L_STRIDE;
    const lab = this.lab;
    return lab[o + L_FL]! & F_VALUE_ESC ? unescapeLabelValue(this.s, lab[o + L_VS]!, lab[o + L_VE]!) : this.s.slice(lab[o + L_VS]!, lab[o + L_VE]!);
  }

  /** The name of label slot `k`, unescaped. */
  protected labelNameAt(k: number): string {
    const o = k * L_STRIDE;
    const lab = this.lab;
    return lab[o + L_FL]! & F_NAME_ESC ? unescapeLabelValue(this.s, lab[o + L_NS]!, lab[o + L_NE]!) : this.s.slice(lab[o + L_NS]!, lab[o + L_NE]!);
  }

  /** Decides which label value to canonicalise for a sample named by the current name range. */
  protected setNormLabel(familyName: string, type: MetricType): void {
    this.normLabel = "";
    if (!this.normalize) return;
    const a = this.nameStart, b = this.nameEnd, n = familyName.length;
    if (type === "histogram" || type === "gaugehistogram") {
      if (b - a === n + 7 && matchAt(this.s, a + n, "_bucket") && matchAt(this.s, a, familyName)) this.normLabel = "le";
    } else if (type === "summary") {
      if (b - a === n && matchAt(this.s, a, familyName)) this.normLabel = "quantile";
    }
  }
}

/**
 * Sets `obj[name] = value` as an own enumerable property even for the (legal) label name `__proto__`,
 * which a plain assignment would treat as a prototype change.
 */
export function setLabel(obj: Record<string, string>, name: string, value: string): void {
  if (name === "__proto__") Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true });
  else obj[name] = value;
}
