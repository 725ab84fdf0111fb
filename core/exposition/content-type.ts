/**
 * @module core/exposition/content-type
 * Content types and negotiation for both sides of a scrape.
 *
 * Scraper side: {@link buildAcceptHeader} turns a `scrape_protocols` list into the Accept header exactly as
 * Prometheus 3 builds it (q weights counting down from 0.6, `escaping=` on the 1.0.0 text formats, a final
 * `*` `/` `*` catch-all), and {@link selectScrapeFormat} picks the parser from the response Content-Type,
 * using `fallback_scrape_protocol` when the type is blank or unknown.
 *
 * Server side (/metrics, /federate, exporters): {@link negotiate} reads an Accept header the way
 * client_golang's promhttp does with OpenMetrics enabled (highest q first, first supported entry wins,
 * text 0.0.4 when nothing matches).
 */

/** The scrape protocol names of Prometheus's `scrape_protocols` / `fallback_scrape_protocol`. */
export type ScrapeProtocol =
  | "PrometheusProto"
  | "PrometheusText0.0.4"
  | "PrometheusText1.0.0"
  | "OpenMetricsText0.0.1"
  | "OpenMetricsText1.0.0";

/** The media-type part Prometheus sends in Accept for each protocol (its ScrapeProtocolsHeaders table). */
export const SCRAPE_PROTOCOL_HEADERS: Readonly<Record<ScrapeProtocol, string>> = {
  PrometheusProto: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
  "PrometheusText0.0.4": "text/plain;version=0.0.4",
  "PrometheusText1.0.0": "text/plain;version=1.0.0",
  "OpenMetricsText0.0.1": "application/openmetrics-text;version=0.0.1",
  "OpenMetricsText1.0.0": "application/openmetrics-text;version=1.0.0",
};

/** Prometheus 3's default `scrape_protocols` (the list used when the config sets none). */
export const DEFAULT_SCRAPE_PROTOCOLS: readonly ScrapeProtocol[] = [
  "OpenMetricsText1.0.0",
  "OpenMetricsText0.0.1",
  "PrometheusText1.0.0",
  "PrometheusText0.0.4",
];

/** Name escaping schemes of the `escaping=` media-type parameter. */
export type EscapingScheme = "allow-utf-8" | "underscores" | "dots" | "values";

/** The escaping a Prometheus 3 scraper asks for by default (`metric_name_escaping_scheme` for UTF-8 validation). */
export const DEFAULT_ESCAPING_SCHEME: EscapingScheme = "allow-utf-8";

/** The protocol used for a blank or unrecognised Content-Type unless the caller passes another one. */
export const DEFAULT_FALLBACK_SCRAPE_PROTOCOL: ScrapeProtocol = "PrometheusText0.0.4";

/** Content-Type of a text format 0.0.4 response. */
export const CONTENT_TYPE_TEXT = "text/plain; version=0.0.4; charset=utf-8";
/** Content-Type of an OpenMetrics 1.0.0 response. */
export const CONTENT_TYPE_OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/** Content-Type of an OpenMetrics 0.0.1 response (served when a client asks for that version). */
export const CONTENT_TYPE_OPENMETRICS_0_0_1 = "application/openmetrics-text; version=0.0.1; charset=utf-8";

/** Whether `s` is one of the known scrape protocol names. */
export function isScrapeProtocol(s: string): s is ScrapeProtocol {
  return Object.hasOwn(SCRAPE_PROTOCOL_HEADERS, s);
}

/**
 * Builds the Accept header for a `scrape_protocols` list, as Prometheus 3's scraper does: each protocol in
 * order with `;q=0.N` (N starting at the number of known protocols + 1 and decreasing), `;escaping=<scheme>`
 * appended to PrometheusText1.0.0 and OpenMetricsText1.0.0, then `*` `/` `*` with the next weight.
 * @example buildAcceptHeader(DEFAULT_SCRAPE_PROTOCOLS)
 * // "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*\/*;q=0.2"
 */
export function buildAcceptHeader(
  protocols: readonly ScrapeProtocol[] = DEFAULT_SCRAPE_PROTOCOLS,
  escaping: EscapingScheme = DEFAULT_ESCAPING_SCHEME,
): string {
  const vals: string[] = [];
  let weight = Object.keys(SCRAPE_PROTOCOL_HEADERS).length + 1;
  for (const p of protocols) {
    let val = SCRAPE_PROTOCOL_HEADERS[p];
    if (val === undefined) throw new TypeError(`unknown scrape protocol ${JSON.stringify(p)}`);
    if (p === "PrometheusText1.0.0" || p === "OpenMetricsText1.0.0") val += ";escaping=" + escaping;
    vals.push(`${val};q=0.${weight}`);
    weight--;
  }
  vals.push(`*/*;q=0.${weight}`);
  return vals.join(",");
}

/** The parser families Quiver implements. */
export type ExpositionFormat = "text" | "openmetrics";

/** Result of {@link selectScrapeFormat}. */
export interface ScrapeFormatChoice {
  format: ExpositionFormat;
  /** The bare media type found in the Content-Type (lower-cased), or "" when it was blank or unparsable. */
  mediaType: string;
  /** True when the fallback protocol was used because the Content-Type was blank or not recognised. */
  usedFallback: boolean;
}

/**
 * Picks the parser for a scrape response from its Content-Type, as Prometheus does:
 * `application/openmetrics-text` → OpenMetrics, `text/plain` → text format; anything else (blank, unknown,
 * or protobuf, which Quiver does not parse) uses `fallback`. Pass `fallback: null` to get Prometheus's
 * behaviour without a `fallback_scrape_protocol` (an error for a blank or unknown type).
 * @throws TypeError when no format applies and `fallback` is null; the message is Prometheus's wording.
 */
export function selectScrapeFormat(
  contentType: string | null | undefined,
  fallback: ScrapeProtocol | null = DEFAULT_FALLBACK_SCRAPE_PROTOCOL,
): ScrapeFormatChoice {
  const mediaType = bareMediaType(contentType ?? "");
  if (mediaType === "application/openmetrics-text") return { format: "openmetrics", mediaType, usedFallback: false };
  if (mediaType === "text/plain") return { format: "text", mediaType, usedFallback: false };
  if (fallback === null || fallback === "PrometheusProto") {
    const why = mediaType === ""
      ? "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target"
      : `received unsupported Content-Type ${JSON.stringify(contentType)} and no fallback_scrape_protocol specified for target`;
    throw new TypeError(why);
  }
  const format: ExpositionFormat = fallback.startsWith("OpenMetrics") ? "openmetrics" : "text";
  return { format, mediaType, usedFallback: true };
}

/** Lower-cased `type/subtype` of a media type, or "" when it is blank or malformed. */
function bareMediaType(ct: string): string {
  const semi = ct.indexOf(";");
  const mt = (semi < 0 ? ct : ct.slice(0, semi)).trim().toLowerCase();
  const slash = mt.indexOf("/");
  if (slash <= 0 || slash === mt.length - 1 || /[\s,]/.test(mt)) return "";
  return mt;
}

/** Result of {@link negotiate}: the format to write and the Content-Type to send. */
export interface NegotiatedFormat {
  format: ExpositionFormat;
  contentType: string;
  /**
   * How the writer must treat names outside the legacy charset: "allow-utf-8" when the client asked for
   * it, else "underscores" (what Prometheus serves to clients that did not ask).
   */
  escaping: EscapingScheme;
}

interface AcceptEntry {
  type: string;
  params: Map<string, string>;
  q: number;
  order: number;
}

/** Parses an Accept header into entries sorted by q (descending), then by position. */
export function parseAccept(header: string): { type: string; params: Map<string, string>; q: number }[] {
  const out: AcceptEntry[] = [];
  let order = 0;
  for (const part of header.split(",")) {
    const pieces = part.split(";");
    const type = (pieces[0] ?? "").trim().toLowerCase();
    if (type === "") continue;
    const params = new Map<string, string>();
    let q = 1;
    for (let i = 1; i < pieces.length; i++) {
      const p = pieces[i]!;
      const eq = p.indexOf("=");
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      let v = p.slice(eq + 1).trim();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      if (k === "q") {
        const n = Number(v);
        q = Number.isFinite(n) ? n : 0;
      } else params.set(k, v);
    }
    out.push({ type, params, q, order: order++ });
  }
  out.sort((a, b) => b.q - a.q || a.order - b.order);
  return out;
}

/**
 * Chooses the exposition format for a server response from the request's Accept header: the entry with the
 * highest q that Quiver can write wins (OpenMetrics 1.0.0 / 0.0.1 or text 0.0.4 / 1.0.0); protobuf entries
 * are skipped; no match (or no header) gives text 0.0.4, as client_golang does.
 * @example negotiate("application/openmetrics-text;version=1.0.0;q=0.6,*\/*;q=0.2").contentType
 * // "application/openmetrics-text; version=1.0.0; charset=utf-8"
 */
export function negotiate(acceptHeader: string | null | undefined): NegotiatedFormat {
  for (const e of parseAccept(acceptHeader ?? "")) {
    if (e.q <= 0) continue;
    const ver = e.params.get("version") ?? "";
    const escaping = escapingOf(e.params.get("escaping"));
    if (e.type === "application/openmetrics-text" && (ver === "" || ver === "1.0.0" || ver === "0.0.1")) {
      const contentType = ver === "0.0.1" ? CONTENT_TYPE_OPENMETRICS_0_0_1 : CONTENT_TYPE_OPENMETRICS;
      return { format: "openmetrics", contentType, escaping };
    }
    if (e.type === "text/plain" && (ver === "" || ver === "0.0.4" || ver === "1.0.0")) {
      return { format: "text", contentType: CONTENT_TYPE_TEXT, escaping };
    }
  }
  return { format: "text", contentType: CONTENT_TYPE_TEXT, escaping: "underscores" };
}

function escapingOf(v: string | undefined): EscapingScheme {
  return v === "allow-utf-8" ? "allow-utf-8" : "underscores";
}
