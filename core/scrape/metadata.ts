/**
 * @module core/scrape/metadata
 * Collects the metric metadata of one scrape (for /api/v1/targets/metadata and /api/v1/metadata) while the
 * pull parser streams the body, grouping samples into families with the same rules as core/exposition's
 * parseToFamilies: a sample joins the current family when its name is the family name plus a suffix the
 * family's type allows (text: `_sum`/`_count`/`_bucket`; OpenMetrics: the type's suffix table), otherwise
 * it joins (text: by name, also `_sum`/`_count`/`_bucket` of a typed base) or starts an untyped family.
 *
 * Invariants: only families with at least one sample are reported (prometheus/common drops the others);
 * a family of unknown type with neither HELP nor UNIT is not reported. The steady-state cost per sample is
 * a prefix comparison of the raw series text against the current family's name; names are cut out of the
 * body only when a sample leaves the current family.
 */
import { OM_TYPE_SUFFIXES, type ExpositionParser } from "../exposition/index.ts";
import type { MetricType } from "../model/metric-family.ts";

/** Metadata of one metric family as the API shows it. */
export interface ScrapedMetadata {
  type: string;
  help: string;
  unit: string;
}

const TEXT_SUFFIXES: Partial<Record<MetricType, readonly string[]>> = {
  summary: ["", "_sum", "_count"],
  histogram: ["_bucket", "_sum", "_count"],
};

interface Family {
  name: string;
  type: MetricType;
  help: string;
  unit: string;
  suffixes: readonly string[];
  hasSamples: boolean;
}

/** Streams one scrape's metadata entries and samples into families. Single use. */
export class MetadataCollector {
  readonly #om: boolean;
  readonly #byName = new Map<string, Family>();
  readonly #order: Family[] = [];
  #current: Family | null = null;

  /** `openmetrics`: group with OpenMetrics rules (families never merge), else text rules. */
  constructor(openmetrics: boolean) {
    this.#om = openmetrics;
  }

  /** Records the metadata entry the parser is positioned on ("help", "type" or "unit"). */
  onMeta(kind: "help" | "type" | "unit", p: ExpositionParser): void {
    const name = p.metaName();
    const cur = this.#current;
    const f = cur !== null && cur.name === name ? cur : this.#family(name, this.#om ? "unknown" : "untyped");
    this.#current = f;
    if (kind === "help") f.help = p.helpText();
    else if (kind === "type") {
      f.type = p.metricType();
      f.suffixes = this.#suffixes(f.type);
    } else if (p.unit() !== "") f.unit = p.unit();
  }

  /** Assigns the sample the parser is positioned on (raw series text `rawKey`) to a family. */
  onSample(rawKey: string, p: ExpositionParser): void {
    const cur = this.#current;
    if (cur !== null && keyInFamily(rawKey, cur)) {
      cur.hasSamples = true;
      return;
    }
    const name = p.metricName();
    let f: Family | null = cur !== null && nameInFamily(name, cur) ? cur : null;
    if (f === null) {
      f = this.#om ? null : this.#textFamily(name);
      f ??= this.#family(name, this.#om ? "unknown" : "untyped");
    }
    f.hasSamples = true;
    this.#current = f;
  }

  /** The metadata by family name (last family of a name wins), as the target keeps it. */
  result(): Map<string, ScrapedMetadata> {
    const out = new Map<string, ScrapedMetadata>();
    for (const f of this.#order) {
      if (!f.hasSamples) continue;
      const type = f.type === "untyped" ? "unknown" : f.type;
      if (type === "unknown" && !f.help && !f.unit) continue;
      out.set(f.name, { type, help: f.help, unit: f.unit });
    }
    return out;
  }

  #suffixes(t: MetricType): readonly string[] {
    return this.#om ? OM_TYPE_SUFFIXES[t] : TEXT_SUFFIXES[t] ?? [""];
  }

  #family(name: string, type: MetricType): Family {
    let f = this.#byName.get(name);
    if (f === undefined || (this.#om && f !== this.#current)) {
      f = { name, type, help: "", unit: "", suffixes: this.#suffixes(type), hasSamples: false };
      this.#byName.set(name, f);
      this.#order.push(f);
    }
    return f;
  }

  #textFamily(name: string): Family | null {
    const own = this.#byName.get(name);
    if (own !== undefined) return own;
    for (const suf of ["_bucket", "_sum", "_count"]) {
      if (!name.endsWith(suf)) continue;
      const base = this.#byName.get(name.slice(0, -suf.length));
      if (base !== undefined && nameInFamily(name, base)) return base;
    }
    return null;
  }
}

function nameInFamily(name: string, f: Family): boolean {
  if (!name.startsWith(f.name)) return false;
  return f.suffixes.includes(name.slice(f.name.length));
}

/**
 * Whether the raw series text `name{...}` (unquoted name) names a sample of `f`: the family name, one
 * allowed suffix, then `{` or the end. Anything unusual (quoted names, spaces) answers false, and the
 * caller falls back to the exact check on the parsed name.
 */
function keyInFamily(key: string, f: Family): boolean {
  const n = f.name.length;
  if (!key.startsWith(f.name)) return false;
  for (const suf of f.suffixes) {
    const end = n + suf.length;
    if (suf !== "" && !key.startsWith(suf, n)) continue;
    if (end === key.length || key.charCodeAt(end) === 123 /* { */) return true;
  }
  return false;
}
