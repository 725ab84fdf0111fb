/**
 * @module core/scrape/parse
 * Scrape body → MetricFamily[]: picks the parser from the response Content-Type (a blank or unknown type
 * uses fallback_scrape_protocol, and fails the scrape without one, as in Prometheus 3), then groups the
 * entries with core/exposition's parseToFamilies, so HTTP targets and in-process exporters feed the very
 * same append path.
 */
import { parseToFamilies, selectScrapeFormat, type ScrapeProtocol } from "../exposition/index.ts";
import type { MetricFamily } from "../model/metric-family.ts";
import type { ScrapeConfig } from "./config.ts";

/**
 * Parses a scrape response body for `cfg`. Throws an Error whose message the targets API shows (an
 * unsupported Content-Type without fallback, or a parse error with line and column).
 */
export function parseScrapeBody(text: string, contentType: string, cfg: ScrapeConfig): MetricFamily[] {
  const choice = selectScrapeFormat(contentType, (cfg.fallback_scrape_protocol as ScrapeProtocol | undefined) ?? null);
  return parseToFamilies(text, choice.format);
}
