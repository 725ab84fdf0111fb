/**
 * @module core/exposition/openmetrics-parser
 * Pull parser for OpenMetrics 1.0 text.
 *
 * Syntax is checked in both modes: lines end in `\n`, no blank lines, no comments other than
 * `# HELP|TYPE|UNIT <name> <text>`, single spaces between name, value, timestamp and exemplar, exemplars
 * as ` # {labels} value [timestamp]` with at most 128 code points of label text, timestamps in (possibly
 * fractional) seconds, and a final `# EOF` with nothing after it. With `strict: true` the
 * {@link OpenMetricsValidator} also enforces the specification's semantic rules (contiguous families and
 * groups, histogram structure, value ranges), which is what the OpenMetrics test suite checks; the default
 * scraper mode accepts what Prometheus accepts.
 *
 * Timestamps are converted to integer milliseconds (truncated), as Prometheus does.
 */
import type { Exemplar, MetricType } from "../model/metric-family.ts";
import { quoteFragment } from "./errors.ts";
import { OpenMetricsValidator } from "./openmetrics-validate.ts";
import { unescapeHelp } from "./names.ts";
import { parseFloatToken } from "./number.ts";
import { F_NAME_ESC, F_NAME_QUOTED, F_VALUE_ESC, matchAt, ParserBase, setLabel, type EntryKind, type ParserOptions } from "./parser-base.ts";

const OM_TYPES: Readonly<Record<string, MetricType>> = {
  counter: "counter",
  gauge: "gauge",
  histogram: "histogram",
  gaugehistogram: "gaugehistogram",
  summary: "summary",
  info: "info",
  stateset: "stateset",
  unknown: "unknown",
};

/** Sample-name suffixes each OpenMetrics type allows after the family name. */
export const OM_TYPE_SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ["_total", "_created"],
  summary: ["", "_count", "_sum", "_created"],
  histogram: ["_bucket", "_count", "_sum", "_created"],
  gaugehistogram: ["_bucket", "_gcount", "_gsum"],
  info: ["_info"],
  gauge: [""],
  stateset: [""],
  unknown: [""],
  untyped: [""],
};

/** Maximum total code points of an exemplar's label names and values. */
export const MAX_EXEMPLAR_LABEL_RUNES = 128;

/** Pull parser for OpenMetrics text. See {@link ExpositionParser} for the calling pattern. */
export class OpenMetricsParser extends ParserBase {
  #done = false;
  #famName = "";
  #famType: MetricType = "unknown";
  #validator: OpenMetricsValidator | null;
  // Exemplar of the current sample: labels live in `lab` slots [labN, exEnd).
  #hasEx = false;
  #exEnd = 0;
  #exValue = 0;
  #exTs: number | undefined = undefined;

  constructor(text: string, options: ParserOptions = {}) {
    super(text, options);
    this.#validator = this.strict ? new OpenMetricsValidator((at, msg) => this.errorAt(at, msg)) : null;
  }

  next(): EntryKind | null {
    if (this.#done) return null;
    const s = this.s;
    const i = this.pos;
    if (i >= this.len) this.fail(i, 'unexpected end of input: OpenMetrics text must end with "# EOF"');
    const c = s.charCodeAt(i);
    if (c === 10) this.fail(i, "blank lines are not allowed in OpenMetrics");
    if (c === 35) {
      if (s.startsWith("# EOF", i)) {
        const j = i + 5;
        if (j === this.len || (s.charCodeAt(j) === 10 && j + 1 === this.len)) {
          this.#done = true;
          this.pos = this.len;
          this.#validator?.finish(i);
          return null;
        }
        this.fail(s.charCodeAt(j) === 10 ? j + 1 : j, `unexpected content after "# EOF": ${this.describe(s.charCodeAt(j) === 10 ? j + 1 : j)}`);
      }
      let kind: EntryKind | null = null;
      if (s.startsWith("# HELP ", i)) kind = "help";
      else if (s.startsWith("# TYPE ", i)) kind = "type";
      else if (s.startsWith("# UNIT ", i)) kind = "unit";
      if (kind === null) this.fail(i, `expected "# HELP", "# TYPE", "# UNIT" or "# EOF", found ${this.describe(i)}`);
      this.#meta(i, kind);
      return kind;
    }
    this.#sample(i);
    return "series";
  }

  helpText(): string {
    return unescapeHelp(this.s, this.metaTextStart, this.metaTextEnd, true);
  }

  exemplar(): Exemplar | undefined {
    if (!this.#hasEx) return undefined;
    const labels: Record<string, string> = {};
    for (let k = this.labN; k < this.#exEnd; k++) setLabel(labels, this.labelNameAt(k), this.labelValueAt(k));
    const ex: Exemplar = { labels, value: this.#exValue };
    if (this.#exTs !== undefined) ex.timestampMs = this.#exTs;
    return ex;
  }

  #lineEnd(i: number): number {
    const e = this.s.indexOf("\n", i);
    if (e < 0) this.fail(this.len, 'unexpected end of input: OpenMetrics text must end with "# EOF"');
    return e;
  }

  #meta(hash: number, kind: EntryKind): void {
    const s = this.s;
    let i = hash + 7;
    const keyword = s.slice(hash + 2, hash + 6);
    let nameEnd: number;
    if (s.charCodeAt(i) === 34) {
      const close = this.scanQuoted(i, false);
      this.metaStart = i + 1;
      this.metaEnd = close;
      this.metaQuoted = true;
      this.metaEsc = this.qEsc;
      nameEnd = close + 1;
    } else {
      nameEnd = this.scanMetricName(i);
      if (nameEnd === i) this.fail(i, `expected metric name after ${keyword}, found ${this.describe(i)}`);
      this.metaStart = i;
      this.metaEnd = nameEnd;
      this.metaQuoted = false;
    }
    if (s.charCodeAt(nameEnd) !== 32) {
      this.fail(nameEnd, `expected a space and the ${kind === "help" ? "help text" : kind === "type" ? "metric type" : "unit"} after the metric name, found ${this.describe(nameEnd)}`);
    }
    i = nameEnd + 1;
    const end = this.#lineEnd(i);
    this.metaTextStart = i;
    this.metaTextEnd = end;
    this.metaKind = kind;
    const name = this.metaName();
    if (kind === "type") {
      const word = s.slice(i, end);
      const t = OM_TYPES[word];
      if (t === undefined) this.fail(i, `invalid metric type ${quoteFragment(word)}: want counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown`);
      this.metaTypeValue = t;
      if (name !== this.#famName) this.#famName = name;
      this.#famType = t;
    } else if (name !== this.#famName) {
      this.#famName = name;
      this.#famType = "unknown";
    }
    this.#validator?.meta(hash, kind, name, kind === "help" ? this.helpText() : s.slice(i, end), kind === "type" ? this.metaTypeValue : undefined);
    this.pos = end + 1;
  }

  #sample(start: number): void {
    const s = this.s;
    this.seriesStart = start;
    this.labN = 0;
    this.timestampMs = undefined;
    this.#hasEx = false;
    let i: number;
    if (s.charCodeAt(start) === 123) {
      this.nameStart = -1;
      i = this.#labels(start, true);
      if (this.nameStart < 0) this.fail(start, 'no metric name: a sample needs a name before "{" or a quoted name inside the braces');
    } else {
      i = this.scanMetricName(start);
      if (i === start) this.fail(start, `expected metric name, found ${this.describe(start)}`);
      this.nameStart = start;
      this.nameEnd = i;
      this.nameQuoted = this.nameEsc = false;
      if (s.charCodeAt(i) === 123) i = this.#labels(i, false);
    }
    this.seriesEnd = i;
    if (s.charCodeAt(i) !== 32) this.fail(i, `expected a space and the value after the metric, found ${this.describe(i)}`);
    i++;
    let e = this.#token(i);
    const v = parseFloatToken(s, i, e);
    if (v === undefined) this.fail(i, `invalid value ${quoteFragment(s.slice(i, e))}: not a float`);
    this.value = v;
    let tsRaw: number | undefined;
    if (s.charCodeAt(e) === 32) {
      i = e + 1;
      if (s.charCodeAt(i) !== 35) {
        e = this.#token(i);
        tsRaw = this.#timestamp(i, e);
        this.timestampMs = secondsTokenToMs(s, i, e, tsRaw);
        if (s.charCodeAt(e) === 32) {
          i = e + 1;
          if (s.charCodeAt(i) !== 35) this.fail(i, `unexpected ${this.describe(i)} after timestamp: want " # {" to start an exemplar or end of line`);
        }
      }
      if (s.charCodeAt(i) === 35) e = this.#exemplar(i);
    }
    if (s.charCodeAt(e) !== 10) this.fail(e, `unexpected ${this.describe(e)} at end of sample`);
    this.pos = e + 1;
    this.classified = false;
    this.#validator?.sample(start, this, tsRaw, this.#hasEx);
  }

  /** End of a space-delimited token starting at `i` (at a space, newline or end of input). */
  #token(i: number): number {
    const s = this.s;
    let c: number;
    while (i < this.len && (c = s.charCodeAt(i)) !== 32 && c !== 10) i++;
    return i;
  }

  #timestamp(a: number, b: number): number {
    const ts = parseFloatToken(this.s, a, b, false);
    if (ts === undefined) this.fail(a, `invalid timestamp ${quoteFragment(this.s.slice(a, b))}: want seconds as a decimal number`);
    return ts;
  }

  /** Parses ` # {labels} value [timestamp]` from the `#` at `i`; returns the index of the line end. */
  #exemplar(hash: number): number {
    const s = this.s;
    if (s.charCodeAt(hash + 1) !== 32 || s.charCodeAt(hash + 2) !== 123) {
      this.fail(hash, `malformed exemplar: want " # {labels} value [timestamp]", found ${this.describe(hash)}`);
    }
    const sampleLabels = this.labN;
    this.labBase = sampleLabels;
    let i = this.#labels(hash + 2, false);
    this.labBase = 0;
    this.#exEnd = this.labN;
    this.labN = sampleLabels;
    let runes = 0;
    for (let k = sampleLabels; k < this.#exEnd; k++) runes += countRunes(this.labelNameAt(k)) + countRunes(this.labelValueAt(k));
    if (runes > MAX_EXEMPLAR_LABEL_RUNES) this.fail(hash + 2, `exemplar labels have ${runes} characters, more than the limit of ${MAX_EXEMPLAR_LABEL_RUNES}`);
    if (s.charCodeAt(i) !== 32) this.fail(i, `expected a space and the exemplar value, found ${this.describe(i)}`);
    i++;
    let e = this.#token(i);
    const v = parseFloatToken(s, i, e);
    if (v === undefined) this.fail(i, `invalid exemplar value ${quoteFragment(s.slice(i, e))}: not a float`);
    this.#exValue = v;
    this.#exTs = undefined;
    if (s.charCodeAt(e) === 32) {
      i = e + 1;
      e = this.#token(i);
      this.#exTs = secondsTokenToMs(s, i, e, this.#timestamp(i, e));
    }
    this.#hasEx = true;
    return e;
  }

  /** Sets sampleType and the label to canonicalise from the current metadata family (called lazily). */
  protected classify(): void {
    const fam = this.#famName;
    const t = this.#famType;
    let belongs = false;
    if (fam !== "") {
      const a = this.nameStart, n = this.nameEnd - a, s = this.s;
      if (n >= fam.length && matchAt(s, a, fam)) {
        const sufLen = n - fam.length;
        for (const suf of OM_TYPE_SUFFIXES[t]) {
          if (suf.length === sufLen && matchAt(s, a + fam.length, suf)) {
            belongs = true;
            break;
          }
        }
      }
    }
    this.curSampleType = belongs ? t : "unknown";
    if (belongs) this.setNormLabel(fam, t);
    else this.normLabel = "";
  }

  /** Parses `{...}` at `open` (no whitespace in strict mode, no trailing comma); returns the index after `}`. */
  #labels(open: number, nameAllowed: boolean): number {
    const s = this.s;
    const ws = !this.strict;
    let i = open + 1;
    let first = true;
    for (;;) {
      let c = s.charCodeAt(i);
      if (ws) while (c === 32 || c === 9) c = s.charCodeAt(++i);
      if (c === 125) {
        if (!first) this.fail(i, 'unexpected "}" after ",": trailing commas are not allowed in OpenMetrics');
        return i + 1;
      }
      first = false;
      const at = i;
      let ns: number, ne: number, flags = 0;
      if (c === 34) {
        const close = this.scanQuoted(i, false);
        ns = i + 1;
        ne = close;
        if (this.qEsc) flags |= F_NAME_ESC;
        i = close + 1;
        c = s.charCodeAt(i);
        if (ws) while (c === 32 || c === 9) c = s.charCodeAt(++i);
        if (c === 44 || c === 125) {
          if (!nameAllowed || this.nameStart >= 0 || this.labN > 0) this.fail(at, "unexpected quoted metric name: it must come first inside the braces and only when no name precedes them");
          this.nameStart = ns;
          this.nameEnd = ne;
          this.nameQuoted = true;
          this.nameEsc = (flags & F_NAME_ESC) !== 0;
          if (c === 125) return i + 1;
          i++;
          continue;
        }
        flags |= F_NAME_QUOTED;
      } else {
        ne = this.scanLabelName(i);
        if (ne === i) this.fail(i, `expected label name, found ${this.describe(i)}`);
        ns = i;
        i = ne;
        c = s.charCodeAt(i);
        if (ws) while (c === 32 || c === 9) c = s.charCodeAt(++i);
      }
      if (c !== 61) this.fail(i, `expected "=" after label name, found ${this.describe(i)}`);
      c = s.charCodeAt(++i);
      if (ws) while (c === 32 || c === 9) c = s.charCodeAt(++i);
      if (c !== 34) this.fail(i, `expected quoted label value, found ${this.describe(i)}`);
      const close = this.scanQuoted(i, false);
      if (this.qEsc) flags |= F_VALUE_ESC;
      this.pushLabel(ns, ne, i + 1, close, flags);
      this.checkLastLabel(at);
      i = close + 1;
      c = s.charCodeAt(i);
      if (ws) while (c === 32 || c === 9) c = s.charCodeAt(++i);
      if (c === 44) {
        i++;
        continue;
      }
      if (c === 125) return i + 1;
      this.fail(i, `expected "," or "}" after label value, found ${this.describe(i)}`);
    }
  }

  /** The label names and values of the current sample as pairs (validator use). */
  labelPairs(): [string, string][] {
    const out: [string, string][] = [];
    for (let k = 0; k < this.labN; k++) out.push([this.labelNameAt(k), this.labelValueAt(k)]);
    return out;
  }
}

/**
 * Converts a validated seconds token to integer ms, truncating below 1 ms. Plain decimals are converted by
 * moving the decimal point in the text, so `1700000000.123` gives exactly 1700000000123 (multiplying the
 * float by 1000 can land one below); exponent forms fall back to the float product.
 */
function secondsTokenToMs(s: string, a: number, b: number, seconds: number): number {
  let dot = -1;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 101 || c === 69) return Math.trunc(seconds * 1000);
    if (c === 46) dot = i;
  }
  if (dot < 0) return seconds * 1000;
  const frac = s.slice(dot + 1, Math.min(b, dot + 4)).padEnd(3, "0");
  const ms = Number(s.slice(a, dot) + frac);
  return ms === 0 && seconds < 0 ? 0 : ms;
}

function countRunes(str: string): number {
  let n = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}
