/**
 * @module core/scrape/metadata
 * Tracks a target's metric metadata (for /api/v1/targets/metadata and /api/v1/metadata) while the pull
 * parser streams each scrape body, grouping samples into families with the same rules as core/exposition's
 * parseToFamilies: a sample joins the current family when its name is the family name plus a suffix the
 * family's type allows (text: `_sum`/`_count`/`_bucket`; OpenMetrics: the type's suffix table), otherwise
 * it joins (text: by name, also `_sum`/`_count`/`_bucket` of a typed base) or starts an untyped family.
 *
 * Invariants: only families with at least one sample are reported (prometheus/common drops the others);
 * a family of unknown type with neither HELP nor UNIT is not reported; a failed scrape changes nothing the
 * target shows. The steady-state cost per sample is a prefix comparison of the raw series text against the
 * current family's name; names are cut out of the body only when a sample leaves the current family.
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
  /** Scrape iteration in which the family was last met (its fields are reset on the first meeting). */
  visited: number;
  /** Scrape iteration of its last sample. */
  sampled: number;
  /** What the target currently shows for it (null: nothing). */
  published: ScrapedMetadata | null;
}

/**
 * One loop's metadata across scrapes. Family records are reused from scrape to scrape (no allocation in
 * a steady state), and {@link MetadataTracker.end} rebuilds the target's map only when something changed.
 * A family name repeated non-contiguously in an OpenMetrics body (which the format forbids) keeps its
 * last occurrence.
 */
export class MetadataTracker {
  #om = false;
  #iter = 0;
  readonly #byName = new Map<string, Family>();
  #current: Family | null = null;
  #publishedCount = 0;

  /** Starts a scrape; `openmetrics` selects OpenMetrics grouping rules (families never merge) over text's. */
  begin(openmetrics: boolean): void {
    if (openmetrics !== this.#om) {
      this.#byName.clear();
      this.#publishedCount = -1;
      this.#om = openmetrics;
    }
    this.#iter++;
    this.#current = null;
  }

  /** Records the metadata entry the parser is positioned on ("help", "type" or "unit"). */
  onMeta(kind: "help" | "type" | "unit", p: ExpositionParser): void {
    const name = p.metaName();
    const cur = this.#current;
    const f = cur !== null && cur.name === name ? cur : this.#family(name);
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
      cur.sampled = this.#iter;
      return;
    }
    const name = p.metricName();
    let f: Family | null = cur !== null && nameInFamily(name, cur) ? cur : null;
    if (f === null) {
      f = this.#om ? null : this.#textFamily(name);
      f ??= this.#family(name);
    }
    f.sampled = this.#iter;
    this.#current = f;
  }

  /**
   * Ends a successful scrape: the metadata by family name when it differs from what the last call
   * returned (a fresh map the caller may keep), or null when nothing changed. Forgets families unseen for
   * more than `evictAfter` scrapes.
   */
  end(evictAfter: number): Map<string, ScrapedMetadata> | null {
    const i = this.#iter;
    let changed = false, count = 0;
    for (const [name, f] of this.#byName) {
      let now: ScrapedMetadata | null = null;
      if (f.visited === i && f.sampled === i) {
        const type = f.type === "untyped" ? "unknown" : f.type;
        if (type !== "unknown" || f.help || f.unit) now = { type, help: f.help, unit: f.unit };
      }
      const was = f.published;
      if (now === null ? was !== null : was === null || was.type !== now.type || was.help !== now.help || was.unit !== now.unit) {
        changed = true;
        f.published = now;
      }
      if (f.published !== null) count++;
      if (f.published === null && i - f.visited > evictAfter) this.#byName.delete(name);
    }
    if (!changed && count === this.#publishedCount) return null;
    this.#publishedCount = count;
    const out = new Map<string, ScrapedMetadata>();
    for (const f of this.#byName.values()) if (f.published !== null) out.set(f.name, f.published);
    return out;
  }

  #suffixes(t: MetricType): readonly string[] {
    return this.#om ? OM_TYPE_SUFFIXES[t] : TEXT_SUFFIXES[t] ?? [""];
  }

  /** The record of family `name` for this scrape: reset on its first meeting (and, in OpenMetrics, on each new occurrence). */
  #family(name: string): Family {
    const type: MetricType = this.#om ? "unknown" : "untyped";
    let f = this.#byName.get(name);
    if (f === undefined) {
      f = { name, type, help: "", unit: "", suffixes: this.#suffixes(type), visited: this.#iter, sampled: -1, published: null };
      this.#byName.set(name, f);
    } else if (f.visited !== this.#iter || (this.#om && f !== this.#current)) {
      f.type = type;
      f.help = "";
      f.unit = "";
      f.suffixes = this.#suffixes(type);
      f.visited = this.#iter;
      f.sampled = -1;
    }
    return f;
  }

  #textFamily(name: string): Family | null {
    const own = this.#byName.get(name);
    if (own !== undefined && own.visited === this.#iter) return own;
    for (const suf of ["_bucket", "_sum", "_count"]) {
      if (!name.endsWith(suf)) continue;
      const base = this.#byName.get(name.slice(0, -suf.length));
      if (base !== undefined && base.visited === this.#iter && nameInFamily(name, base)) return base;
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
