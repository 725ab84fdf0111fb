/**
 * @module core/scrape/api
 * Data shapers for the scrape-related HTTP API, returning the `data` member exactly as Prometheus's
 * /api/v1/targets, /api/v1/scrape_pools, /api/v1/targets/metadata and /api/v1/metadata produce it. The
 * API layer parses query parameters (selectors with the PromQL parser) and wraps the envelope.
 */
import type { Labels } from "../model/labels.ts";
import { matchAll, type Matcher } from "../model/matcher.ts";
import type { ScrapeManager } from "./manager.ts";
import type { Target } from "./target.ts";

/** One entry of `activeTargets`. */
export interface ActiveTargetJSON {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  health: string;
  scrapeInterval: string;
  scrapeTimeout: string;
}

/** The `data` of /api/v1/targets. */
export interface TargetsData {
  activeTargets: ActiveTargetJSON[];
  droppedTargets: Array<{ discoveredLabels: Record<string, string>; scrapePool: string }>;
  droppedTargetCounts: Record<string, number>;
}

/** How to compute `globalUrl` (Prometheus's GlobalURLOptions). */
export interface GlobalURLOptions {
  /** The server's listen address, e.g. "0.0.0.0:9090". */
  listenAddress: string;
  /** The externally reachable URL (--web.external-url), e.g. "http://prom.example.org:9090/". */
  externalURL: string;
}

const LOCALHOST = ["127.0.0.1", "localhost", "::1", "[::1]"];

function splitHostPort(hostport: string): [string, string] | null {
  const m = /^(\[[^\]]*\]|[^:]*):(\d*)$/.exec(hostport);
  return m ? [m[1]!, m[2]!] : null;
}

/**
 * The URL as seen from outside: a loopback host is replaced by the external host (and, when the port
 * is our own, scheme and host:port of the external URL), as Prometheus's getGlobalURL does.
 */
export function globalURL(scrapeUrl: string, opts?: GlobalURLOptions): string {
  if (!opts) return scrapeUrl;
  let u: URL, ext: URL;
  try {
    u = new URL(scrapeUrl);
    ext = new URL(opts.externalURL);
  } catch {
    return scrapeUrl;
  }
  const hp = splitHostPort(u.host);
  if (!hp || !LOCALHOST.includes(hp[0])) return scrapeUrl;
  const own = splitHostPort(opts.listenAddress)?.[1];
  const rest = scrapeUrl.slice(`${u.protocol}//${u.host}`.length);
  if (own !== undefined && hp[1] === own) return `${ext.protocol}//${ext.host}${rest}`;
  return `${u.protocol}//${ext.hostname}:${hp[1]}${rest}`;
}

/** Formats ms since the epoch as Go's RFC3339Nano in UTC ("0001-01-01T00:00:00Z" for 0). */
export function rfc3339Nano(ms: number): string {
  if (ms === 0) return "0001-01-01T00:00:00Z";
  const iso = new Date(ms).toISOString(); // 2026-11-24T16:53:41.708Z
  return iso.replace(/\.(\d{3})Z$/, (_, f: string) => {
    const t = f.replace(/0+$/, "");
    return t ? `.${t}Z` : "Z";
  });
}

function activeJSON(pool: string, t: Target, g?: GlobalURLOptions): ActiveTargetJSON {
  return {
    discoveredLabels: t.discoveredLabels.toObject(),
    labels: t.publicLabels().toObject(),
    scrapePool: pool,
    scrapeUrl: t.url,
    globalUrl: globalURL(t.url, g),
    lastError: t.lastError,
    lastScrape: rfc3339Nano(t.lastScrape),
    lastScrapeDuration: t.lastScrapeDuration,
    health: t.health,
    scrapeInterval: t.labels.get("__scrape_interval__"),
    scrapeTimeout: t.labels.get("__scrape_timeout__"),
  };
}

/** Query options of {@link targetsAPI}. */
export interface TargetsQuery {
  /** `state`: "active", "dropped", "any" or "" (case-insensitive). */
  state?: string;
  /** `scrapePool`: only this pool. */
  scrapePool?: string;
  globalURLOptions?: GlobalURLOptions;
}

/** The data of GET /api/v1/targets. */
export function targetsAPI(m: ScrapeManager, q: TargetsQuery = {}): TargetsData {
  const state = (q.state ?? "").toLowerCase();
  const showActive = state === "" || state === "any" || state === "active";
  const showDropped = state === "" || state === "any" || state === "dropped";
  const pools = m.pools().filter((p) => !q.scrapePool || p.name === q.scrapePool);
  const out: TargetsData = { activeTargets: [], droppedTargets: [], droppedTargetCounts: {} };
  if (showActive) {
    for (const p of pools) for (const t of p.activeTargets()) out.activeTargets.push(activeJSON(p.name, t, q.globalURLOptions));
  }
  if (showDropped) {
    for (const p of pools) {
      out.droppedTargetCounts[p.name] = p.droppedTargetsCount;
      for (const d of p.droppedTargets()) out.droppedTargets.push({ discoveredLabels: d.discoveredLabels, scrapePool: p.name });
    }
  }
  return out;
}

/** The data of GET /api/v1/scrape_pools. */
export function scrapePoolsAPI(m: ScrapeManager): { scrapePools: string[] } {
  return { scrapePools: m.pools().map((p) => p.name) };
}

/** One entry of /api/v1/targets/metadata. */
export interface TargetMetadataJSON {
  target: Record<string, string>;
  metric?: string;
  type: string;
  help: string;
  unit: string;
}

/**
 * The data of GET /api/v1/targets/metadata. `matchTarget` are the parsed matchers of `match_target`
 * (matched against the target's public labels); `limit` < 0 or undefined means no limit.
 */
export function targetMetadataAPI(m: ScrapeManager, q: { matchTarget?: readonly Matcher[]; metric?: string; limit?: number } = {}): TargetMetadataJSON[] {
  const limit = q.limit ?? -1;
  const out: TargetMetadataJSON[] = [];
  for (const p of m.pools()) {
    for (const t of p.activeTargets()) {
      if (limit >= 0 && out.length >= limit) return out;
      const labels: Labels = t.publicLabels();
      if (q.matchTarget && q.matchTarget.length > 0 && !matchAll(q.matchTarget, labels)) continue;
      if (!q.metric) {
        for (const [metric, md] of t.metadata) out.push({ target: labels.toObject(), metric, type: md.type, help: md.help, unit: md.unit });
        continue;
      }
      const md = t.metadata.get(q.metric);
      if (md) out.push({ target: labels.toObject(), type: md.type, help: md.help, unit: md.unit });
    }
  }
  return limit >= 0 ? out.slice(0, limit) : out;
}

/**
 * The data of GET /api/v1/metadata: metadata per metric name, deduplicated across targets. `limit`
 * bounds the number of metrics, `limitPerMetric` the entries per metric (< 0 or undefined: no limit).
 */
export function metadataAPI(m: ScrapeManager, q: { metric?: string; limit?: number; limitPerMetric?: number } = {}): Record<string, Array<{ type: string; help: string; unit: string }>> {
  const limit = q.limit ?? -1, perMetric = q.limitPerMetric ?? -1;
  const sets = new Map<string, Map<string, { type: string; help: string; unit: string }>>();
  const add = (metric: string, md: { type: string; help: string; unit: string }) => {
    let s = sets.get(metric);
    if (perMetric > 0 && s && s.size >= perMetric) return;
    if (!s) sets.set(metric, (s = new Map()));
    s.set(`${md.type}\xff${md.help}\xff${md.unit}`, { type: md.type, help: md.help, unit: md.unit });
  };
  for (const p of m.pools()) {
    for (const t of p.activeTargets()) {
      if (q.metric) {
        const md = t.metadata.get(q.metric);
        if (md) add(q.metric, md);
        continue;
      }
      for (const [metric, md] of t.metadata) add(metric, md);
    }
  }
  const out: Record<string, Array<{ type: string; help: string; unit: string }>> = {};
  let n = 0;
  for (const [metric, s] of sets) {
    if (limit >= 0 && n >= limit) break;
    out[metric] = [...s.values()];
    n++;
  }
  return out;
}
