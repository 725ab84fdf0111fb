/**
 * @module core/exposition/parser
 * Entry points of the pull parsers: pick the parser for a format or a response Content-Type.
 */
import { selectScrapeFormat, type ExpositionFormat, type ScrapeProtocol } from "./content-type.ts";
import { OpenMetricsParser } from "./openmetrics-parser.ts";
import type { ExpositionParser, ParserOptions } from "./parser-base.ts";
import { TextParser } from "./text-parser.ts";

/**
 * Creates a pull parser over `text` for `format`. The parser keeps a reference to `text` and reads it
 * lazily; it does no work until `next()` is called.
 * @example
 * const p = createParser(body, "openmetrics");
 * for (let e = p.next(); e !== null; e = p.next()) {
 *   if (e === "series") cache.get(p.seriesKey()) ?? cache.set(p.seriesKey(), p.labels());
 * }
 */
export function createParser(text: string, format: ExpositionFormat, options: ParserOptions = {}): ExpositionParser {
  return format === "openmetrics" ? new OpenMetricsParser(text, options) : new TextParser(text, options);
}

/** Options of {@link createParserForContentType}. */
export interface ContentTypeParserOptions extends ParserOptions {
  /** `fallback_scrape_protocol`: used for a blank or unknown Content-Type. Default PrometheusText0.0.4; null → error. */
  fallback?: ScrapeProtocol | null;
}

/**
 * Creates the parser Prometheus would use for a response with this Content-Type (see
 * {@link selectScrapeFormat}).
 * @throws TypeError when the type is blank/unknown and `fallback` is null.
 */
export function createParserForContentType(text: string, contentType: string | null | undefined, options: ContentTypeParserOptions = {}): ExpositionParser {
  const { format } = selectScrapeFormat(contentType, options.fallback === undefined ? undefined : options.fallback);
  return createParser(text, format, options);
}
