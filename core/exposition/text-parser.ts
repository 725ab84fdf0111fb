/**
 * @module core/exposition/text-parser
 * Pull parser for the Prometheus text format 0.0.4 (and 1.0.0, which adds quoted UTF-8 names:
 * `{"my.metric", "label.x"="v"} 1`).
 *
 * Default (scraper) mode accepts what Prometheus's scrape parser accepts: a missing final newline,
 * unknown escapes (kept as written), raw newlines in label values, repeated or late HELP/TYPE lines.
 * `strict: true` checks like prometheus/common's expfmt (what `promtool check metrics` uses): all of the
 * above are errors, HELP/TYPE lines without a name or text are ignored, and `le`/`quantile` must be
 * numeric. Both modes reject malformed syntax with the line, column and reason.
 *
 * Whitespace (spaces, tabs) may precede a line, surround label tokens, and separate name, value and
 * timestamp; a `}` may be followed directly by the value. Timestamps are integer milliseconds.
 */
import type { Exemplar, MetricType } from "../model/metric-family.ts";
import { quoteFragment } from "./errors.ts";
import { unescapeHelp } from "./names.ts";
import { parseFloatToken } from "./number.ts";
import { F_NAME_ESC, F_NAME_QUOTED, F_VALUE_ESC, matchAt, ParserBase, type EntryKind, type ParserOptions } from "./parser-base.ts";

const TEXT_TYPES: Readonly<Record<string, MetricType>> = {
  counter: "counter",
  gauge: "gauge",
  histogram: "histogram",
  summary: "summary",
  untyped: "untyped",
};

/** Pull parser for the Prometheus text format. See {@link ExpositionParser} for the calling pattern. */
export class TextParser extends ParserBase {
  // TYPE tracking for le/quantile canonicalisation and sampleType() (the most recent TYPE line).
  #typeName = "";
  #type: MetricType = "untyped";
  // Strict-mode bookkeeping (expfmt rules), keyed by family name.
  #helpSeen: Set<string> | null;
  #typeSeen: Map<string, MetricType> | null;
  #sampled: Set<string> | null;

  constructor(text: string, options: ParserOptions = {}) {
    super(text, options);
    this.#helpSeen = this.strict ? new Set() : null;
    this.#typeSeen = this.strict ? new Map() : null;
    this.#sampled = this.strict ? new Set() : null;
    this.curSampleType = "untyped";
  }

  next(): EntryKind | null {
    const s = this.s;
    const len = this.len;
    for (;;) {
      let i = this.pos;
      let c = s.charCodeAt(i);
      while (c === 32 || c === 9) c = s.charCodeAt(++i);
      if (i >= len) {
        this.pos = len;
        return null;
      }
      if (c === 10) {
        this.pos = i + 1;
        continue;
      }
      if (c === 35) {
        const kind = this.#comment(i);
        if (kind !== null) return kind;
        continue;
      }
      this.#sample(i);
      return "series";
    }
  }

  exemplar(): Exemplar | undefined {
    return undefined;
  }

  helpText(): string {
    return unescapeHelp(this.s, this.metaTextStart, this.metaTextEnd, false);
  }

  /** Consumes the end of a line at `i` (optional blanks, then newline or end of input). */
  #endLine(i: number, what: string): void {
    const s = this.s;
    let c = s.charCodeAt(i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    if (c === 10) {
      this.pos = i + 1;
      return;
    }
    if (i >= this.len) {
      if (this.strict) this.fail(i, "unexpected end of input: the last line must end with a newline");
      this.pos = i;
      return;
    }
    this.fail(i, `unexpected ${this.describe(i)} after ${what}`);
  }

  /** Parses a `#` line at `i`; returns the metadata kind, or null for a comment or ignored line. */
  #comment(hash: number): EntryKind | null {
    const s = this.s;
    let i = hash + 1;
    let c = s.charCodeAt(i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    let kind: EntryKind | null = null;
    if (c === 72 && s.startsWith("HELP", i)) kind = "help";
    else if (c === 84 && s.startsWith("TYPE", i)) kind = "type";
    const after = s.charCodeAt(i + 4);
    if (kind === null || !(after === 32 || after === 9 || after === 10 || i + 4 >= this.len)) return this.#skipLine(i);
    const keyword = kind === "help" ? "HELP" : "TYPE";
    i += 4;
    c = s.charCodeAt(i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    if (c === 10 || i >= this.len) {
      if (this.strict) return this.#skipLine(i);
      this.fail(i, `expected metric name after ${keyword}, found ${this.describe(i)}`);
    }
    // Metric name: legacy or quoted.
    let nameEnd: number;
    if (c === 34) {
      const close = this.scanQuoted(i, false);
      this.metaStart = i + 1;
      this.metaEnd = close;
      this.metaQuoted = true;
      this.metaEsc = this.qEsc;
      nameEnd = close + 1;
    } else {
      nameEnd = this.scanMetricName(i);
      this.metaStart = i;
      this.metaEnd = nameEnd;
      this.metaQuoted = false;
    }
    c = s.charCodeAt(nameEnd);
    if (nameEnd === i || !(c === 32 || c === 9 || c === 10 || nameEnd >= this.len)) {
      this.fail(nameEnd, `invalid metric name in ${keyword} line: unexpected ${this.describe(nameEnd)}`);
    }
    i = nameEnd;
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    if (c === 10 || i >= this.len) {
      // Name but no text/type.
      if (this.strict || kind === "help") {
        if (this.strict) return this.#skipLine(i);
        this.metaTextStart = this.metaTextEnd = i;
        this.metaKind = "help";
        this.#endLine(i, "HELP text");
        return "help";
      }
      this.fail(i, `expected metric type after TYPE ${this.metaName()}`);
    }
    let end = s.indexOf("\n", i);
    if (end < 0) end = this.len;
    if (kind === "help") {
      this.metaTextStart = i;
      this.metaTextEnd = end;
      if (this.strict) this.#strictHelp(hash, i, end);
      this.metaKind = "help";
      this.#endLine(end, "HELP text");
      return "help";
    }
    let te = i;
    while (te < end && s.charCodeAt(te) !== 32 && s.charCodeAt(te) !== 9) te++;
    const word = s.slice(i, te);
    const type = TEXT_TYPES[word];
    if (type === undefined) this.fail(i, `invalid metric type ${quoteFragment(word)}: want counter, gauge, histogram, summary or untyped`);
    this.metaTypeValue = type;
    this.metaKind = "type";
    const name = this.metaName();
    if (this.strict) this.#strictType(hash, name, type);
    this.#typeName = name;
    this.#type = type;
    this.#endLine(te, "metric type");
    return "type";
  }

  #skipLine(i: number): null {
    const end = this.s.indexOf("\n", i);
    if (end < 0) {
      if (this.strict) this.fail(this.len, "unexpected end of input: the last line must end with a newline");
      this.pos = this.len;
    } else this.pos = end + 1;
    return null;
  }

  #strictHelp(hash: number, a: number, b: number): void {
    const s = this.s;
    for (let i = a; i < b; i++) {
      if (s.charCodeAt(i) !== 92) continue;
      const d = s.charCodeAt(i + 1);
      if (d !== 92 && d !== 110) this.fail(i, `invalid escape sequence ${quoteFragment(s.slice(i, i + 2))} in HELP text (only \\\\ and \\n are allowed)`);
      i++;
    }
    const name = this.metaName();
    if (this.#helpSeen!.has(name)) this.fail(hash, `second HELP line for metric name ${quoteFragment(name)}`);
    this.#helpSeen!.add(name);
  }

  #strictType(hash: number, name: string, type: MetricType): void {
    if (this.#typeSeen!.has(name) || this.#sampled!.has(name)) {
      this.fail(hash, `second TYPE line for metric name ${quoteFragment(name)}, or TYPE reported after samples`);
    }
    this.#typeSeen!.set(name, type);
  }

  /** Parses a sample line starting at `i`. */
  #sample(start: number): void {
    const s = this.s;
    this.seriesStart = start;
    this.labN = 0;
    this.timestampMs = undefined;
    let i: number;
    let c = s.charCodeAt(start);
    if (c === 123) {
      this.nameStart = this.nameEnd = -1;
      i = this.#labels(start, true);
      if (this.nameStart < 0) this.fail(start, "no metric name: a sample needs a name before \"{\" or a quoted name inside the braces");
      this.seriesEnd = i;
    } else {
      const ne = this.scanMetricName(start);
      if (ne === start) this.fail(start, `expected metric name, found ${this.describe(start)}`);
      this.nameStart = start;
      this.nameEnd = ne;
      this.nameQuoted = this.nameEsc = false;
      i = ne;
      c = s.charCodeAt(i);
      while (c === 32 || c === 9) c = s.charCodeAt(++i);
      if (c === 123) {
        i = this.#labels(i, false);
        this.seriesEnd = i;
      } else {
        this.seriesEnd = ne;
        if (i === ne && c !== 10 && i < this.len) this.fail(i, `invalid character ${this.describe(i)} in metric name`);
      }
    }
    // Value.
    c = s.charCodeAt(i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    let ve = i;
    while (ve < this.len && (c = s.charCodeAt(ve)) !== 32 && c !== 9 && c !== 10) ve++;
    if (ve === i) this.fail(i, `expected value after metric, found ${this.describe(i)}`);
    const v = parseFloatToken(s, i, ve);
    if (v === undefined) this.fail(i, `invalid value ${quoteFragment(s.slice(i, ve))}: not a float`);
    this.value = v;
    // Optional timestamp.
    i = ve;
    c = s.charCodeAt(i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    if (c !== 10 && i < this.len) {
      let te = i;
      while (te < this.len && (c = s.charCodeAt(te)) !== 32 && c !== 9 && c !== 10) te++;
      const ts = parseIntToken(s, i, te);
      if (ts === undefined) this.fail(i, `invalid timestamp ${quoteFragment(s.slice(i, te))}: want integer milliseconds`);
      this.timestampMs = ts;
      i = te;
    }
    this.#endLine(i, "timestamp");
    this.classified = false;
    if (this.strict) this.#strictSample();
  }

  /** Sets sampleType / normLabel from the last TYPE line (called lazily, before the next `next()`). */
  protected classify(): void {
    const tn = this.#typeName;
    const t = this.#type;
    let family = "";
    if (tn !== "") {
      // Length checks first: this runs for every sample, so avoid allocating or scanning when possible.
      const a = this.nameStart, n = this.nameEnd - a, tl = tn.length, s = this.s;
      if (n === tl) {
        if (matchAt(s, a, tn)) family = tn;
      } else if ((t === "histogram" || t === "summary") && n > tl) {
        const r = n - tl, at = a + tl;
        const suffix = (r === 4 && matchAt(s, at, "_sum")) || (r === 6 && matchAt(s, at, "_count")) ||
          (r === 7 && t === "histogram" && matchAt(s, at, "_bucket"));
        if (suffix && matchAt(s, a, tn)) family = tn;
      }
    }
    this.curSampleType = family === "" ? "untyped" : t;
    if (family === "") this.normLabel = "";
    else this.setNormLabel(family, t);
  }

  #strictSample(): void {
    const name = this.metricName();
    const typed = this.#typeSeen!;
    let family = name;
    if (!typed.has(name)) {
      for (const suf of ["_bucket", "_count", "_sum"]) {
        if (!name.endsWith(suf)) continue;
        const base = name.slice(0, -suf.length);
        const t = typed.get(base);
        if (t === "histogram" || (t === "summary" && suf !== "_bucket")) family = base;
      }
    }
    this.#sampled!.add(family);
    const t = typed.get(family);
    const check = t === "histogram" && name === family + "_bucket" ? "le" : t === "summary" && name === family ? "quantile" : "";
    if (check === "") return;
    for (let k = 0; k < this.labN; k++) {
      if (this.labelNameAt(k) !== check) continue;
      const v = this.labelValueAt(k);
      if (parseFloatToken(v, 0, v.length) === undefined) {
        this.fail(this.seriesStart, `expected float as value for ${quoteFragment(check)} label, got ${quoteFragment(v)}`);
      }
    }
  }

  /**
   * Parses a label set whose `{` is at `open`; returns the index after `}`. With `nameAllowed`, a quoted
   * string not followed by `=` is the metric name (`{"my.metric", a="b"}`).
   */
  #labels(open: number, nameAllowed: boolean): number {
    const s = this.s;
    let i = open + 1;
    for (;;) {
      let c = s.charCodeAt(i);
      while (c === 32 || c === 9) c = s.charCodeAt(++i);
      if (c === 125) return i + 1;
      let ns: number, ne: number, flags = 0;
      const at = i;
      if (c === 34) {
        const close = this.scanQuoted(i, false);
        ns = i + 1;
        ne = close;
        if (this.qEsc) flags |= F_NAME_ESC;
        i = close + 1;
        c = s.charCodeAt(i);
        while (c === 32 || c === 9) c = s.charCodeAt(++i);
        if (c === 44 || c === 125) {
          if (!nameAllowed || this.nameStart >= 0 || this.labN > 0) this.fail(at, "unexpected quoted metric name: it must come first inside the braces and only when no name precedes them");
          this.nameStart = ns;
          this.nameEnd = ne;
          this.nameQuoted = true;
          this.nameEsc = (flags & F_NAME_ESC) !== 0;
          if (c === 44) i++;
          continue;
        }
        flags |= F_NAME_QUOTED;
      } else {
        ne = this.scanLabelName(i);
        if (ne === i) this.fail(i, `expected label name, found ${this.describe(i)}`);
        ns = i;
        i = ne;
        c = s.charCodeAt(i);
        while (c === 32 || c === 9) c = s.charCodeAt(++i);
      }
      if (c !== 61) this.fail(i, `expected "=" after label name, found ${this.describe(i)}`);
      c = s.charCodeAt(++i);
      while (c === 32 || c === 9) c = s.charCodeAt(++i);
      if (c !== 34) this.fail(i, `expected quoted label value, found ${this.describe(i)}`);
      const close = this.scanQuoted(i, !this.strict);
      if (this.strict && this.qBadEscape >= 0) {
        this.fail(this.qBadEscape, `invalid escape sequence ${quoteFragment(s.slice(this.qBadEscape, this.qBadEscape + 2))} in label value (only \\\\, \\" and \\n are allowed)`);
      }
      if (this.qEsc) flags |= F_VALUE_ESC;
      this.pushLabel(ns, ne, i + 1, close, flags);
      this.checkLastLabel(at);
      i = close + 1;
      c = s.charCodeAt(i);
      while (c === 32 || c === 9) c = s.charCodeAt(++i);
      if (c === 44) {
        i++;
        continue;
      }
      if (c === 125) return i + 1;
      this.fail(i, `expected "," or "}" after label value, found ${this.describe(i)}`);
    }
  }
}

/** Parses `s[a, b)` as an optionally signed decimal integer; undefined when it is not one. */
function parseIntToken(s: string, a: number, b: number): number | undefined {
  let i = a;
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 43 || c0 === 45) {
    neg = c0 === 45;
    i++;
  }
  if (i >= b) return undefined;
  let n = 0;
  for (; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    n = n * 10 + (c - 48);
  }
  return neg ? -n : n;
}
