/**
 * @module core/scrape/parse
 * Scrape body → pull parser: picks the parser from the response Content-Type (a blank or unknown type
 * uses fallback_scrape_protocol, and fails the scrape without one, as in Prometheus 3). In-process
 * exporters return MetricFamily objects instead; {@link familiesSource} walks those through the same
 * pull interface, so HTTP targets and in-process exporters feed the very same append path.
 *
 * The parser is lazy: the body is scanned while the scrape's samples are appended, so parse errors
 * surface from `next()` during the append (and fail the scrape there, before anything is committed).
 */
import { createParserForContentType, type EntryKind, type ExpositionParser, type ScrapeProtocol } from "../exposition/index.ts";
import type { ExposedSample, MetricFamily, MetricType } from "../model/metric-family.ts";
import { BugError } from "../util/errors.ts";
import type { ScrapeConfig } from "./config.ts";

/**
 * Creates the pull parser for a scrape response body of `cfg`. Throws an Error whose message the
 * targets API shows for an unsupported Content-Type without fallback; parse errors (with line and
 * column) are thrown later by the parser's `next()`.
 */
export function parseScrapeBody(text: string, contentType: string, cfg: ScrapeConfig): ExpositionParser {
  return createParserForContentType(text, contentType, { fallback: (cfg.fallback_scrape_protocol as ScrapeProtocol | undefined) ?? null });
}

/** Identity of a series as exposed by an in-process exporter: its name and labels in exposition order. */
export function rawSeriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  let k = name;
  for (const n in labels) k += "\xff" + n + "\xff" + labels[n];
  return k;
}

/**
 * A pull source over in-process metric families: yields only "series" entries (the loop records the
 * families' metadata directly). `seriesKey()` is {@link rawSeriesKey}. The families are not copied and
 * must not change while the source is read.
 */
export function familiesSource(families: readonly MetricFamily[]): ExpositionParser {
  return new FamiliesSource(families);
}

class FamiliesSource implements ExpositionParser {
  readonly #fams: readonly MetricFamily[];
  #f = 0;
  #i = -1;
  #s: ExposedSample | undefined;
  value = 0;
  timestampMs: number | undefined = undefined;

  constructor(fams: readonly MetricFamily[]) {
    this.#fams = fams;
  }

  next(): EntryKind | null {
    for (;;) {
      const fam = this.#fams[this.#f];
      if (fam === undefined) return null;
      const s = fam.samples[++this.#i];
      if (s === undefined) {
        this.#f++;
        this.#i = -1;
        continue;
      }
      this.#s = s;
      this.value = s.value;
      this.timestampMs = s.timestampMs;
      return "series";
    }
  }

  #cur(): ExposedSample {
    if (this.#s === undefined) throw new BugError("familiesSource read before next()");
    return this.#s;
  }

  seriesKey(): string {
    const s = this.#cur();
    return rawSeriesKey(s.name, s.labels);
  }
  metricName(): string {
    return this.#cur().name;
  }
  labels(): Record<string, string> {
    return { ...this.#cur().labels };
  }
  forEachLabel(fn: (name: string, value: string) => void): void {
    const l = this.#cur().labels;
    for (const n in l) fn(n, l[n]!);
  }
  labelCount(): number {
    return Object.keys(this.#cur().labels).length;
  }
  exemplar() {
    return this.#cur().exemplar;
  }
  sampleType(): MetricType {
    return this.#fams[this.#f]?.type ?? "unknown";
  }
  metaName(): string {
    throw new BugError("familiesSource has no metadata entries");
  }
  helpText(): string {
    throw new BugError("familiesSource has no metadata entries");
  }
  metricType(): MetricType {
    throw new BugError("familiesSource has no metadata entries");
  }
  unit(): string {
    throw new BugError("familiesSource has no metadata entries");
  }
}
