/**
 * @module core/api/v1/targets
 * The scrape area: /api/v1/targets (state and scrapePool filters, globalUrl rewriting for local
 * targets), /api/v1/targets/metadata, /api/v1/scrape_pools and /api/v1/metadata, all read from a
 * {@link TargetRetriever}. Without one (no scrape manager wired) every list is empty, which is what
 * Prometheus answers with no scrape configs.
 */
import { Elysia } from "elysia";
import type { Labels } from "../../model/labels.ts";
import { matchAll, type Matcher } from "../../model/matcher.ts";
import { parseSeriesSelector } from "../../promql/parser/index.ts";
import { BadDataError } from "../../util/errors.ts";
import { mount, type ApiOutcome, type MountOptions } from "./envelope.ts";
import { byteOrder, Rfc3339 } from "./json.ts";
import { invalidParam, type Params } from "./params.ts";
import type { ActiveTargetView, ApiV1Deps, MetricMetadata, TargetRetriever } from "./types.ts";

/** Builds the targets area (`api-v1-targets`). */
export function targetsApi(deps: ApiV1Deps, o: MountOptions = {}) {
  const prefix = `${deps.routePrefix ?? ""}/api/v1`;
  let app = new Elysia({ name: "api-v1-targets", prefix });
  app = mount(app, ["GET"], "/targets", async (p) => targets(deps, p), o);
  app = mount(app, ["GET"], "/targets/metadata", async (p) => targetMetadata(deps.targets, p), o);
  app = mount(app, ["GET"], "/scrape_pools", async () => ({ data: { scrapePools: scrapePools(deps.targets) } }), o);
  app = mount(app, ["GET", "POST"], "/metadata", async (p) => metricMetadata(deps.targets, p), o);
  return app;
}

function sortedEntries<T>(m: ReadonlyMap<string, readonly T[]> | undefined): Array<[string, readonly T[]]> {
  if (!m) return [];
  return [...m.entries()].sort((a, b) => byteOrder(a[0], b[0]));
}

function scrapePools(tr: TargetRetriever | undefined): string[] {
  if (!tr) return [];
  const names = tr.scrapePools ? tr.scrapePools() : [...tr.targetsActive().keys()];
  return [...new Set(names)].sort(byteOrder);
}

/** The labels attached to scraped series: target labels without the `__` ones. */
function publicLabels(ls: Labels): Labels {
  return ls.filter((n) => !n.startsWith("__"));
}

function targets(deps: ApiV1Deps, p: Params): ApiOutcome {
  const state = p.url.searchParams.get("state")?.toLowerCase() ?? "";
  const pool = p.url.searchParams.get("scrapePool") ?? "";
  const showActive = state === "" || state === "any" || state === "active";
  const showDropped = state === "" || state === "any" || state === "dropped";
  const tr = deps.targets;
  const activeTargets: unknown[] = [];
  const droppedTargets: unknown[] = [];
  const droppedTargetCounts = new Map<string, number>();
  if (tr && showActive) {
    for (const [name, list] of sortedEntries(tr.targetsActive())) {
      if (pool !== "" && name !== pool) continue;
      for (const t of list) activeTargets.push(activeJson(name, t, deps.globalUrl));
    }
  }
  if (tr) {
    const dropped = tr.targetsDropped();
    const counts = tr.droppedTargetCounts?.();
    for (const [name, list] of sortedEntries(dropped)) {
      if (pool !== "" && name !== pool) continue;
      droppedTargetCounts.set(name, counts?.get(name) ?? list.length);
      if (showDropped) for (const t of list) droppedTargets.push({ discoveredLabels: t.discoveredLabels, scrapePool: name });
    }
    if (counts) for (const [name, n] of counts) if ((pool === "" || name === pool) && !droppedTargetCounts.has(name)) droppedTargetCounts.set(name, n);
  }
  return { data: { activeTargets, droppedTargets, droppedTargetCounts } };
}

function activeJson(pool: string, t: ActiveTargetView, g: ApiV1Deps["globalUrl"]) {
  return {
    discoveredLabels: t.discoveredLabels,
    labels: publicLabels(t.labels),
    scrapePool: pool,
    scrapeUrl: t.url,
    globalUrl: g ? globalUrl(t.url, g) : t.url,
    lastError: t.lastError,
    lastScrape: new Rfc3339(t.lastScrape),
    lastScrapeDuration: t.lastScrapeDuration,
    health: t.health,
    scrapeInterval: t.labels.get("__scrape_interval__"),
    scrapeTimeout: t.labels.get("__scrape_timeout__"),
  };
}

const LOCALHOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * Prometheus's getGlobalURL: a target on localhost is not reachable from elsewhere, so its host is
 * replaced by the external URL's host (and scheme too, when it is this server's own port).
 */
export function globalUrl(raw: string, g: { listenAddress: string; host: string; scheme: string }): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return raw;
  }
  if (!LOCALHOSTS.has(u.hostname)) return raw;
  const ownPort = g.listenAddress.slice(g.listenAddress.lastIndexOf(":") + 1);
  const port = u.port || (u.protocol === "https:" ? "443" : u.protocol === "http:" ? "80" : "");
  if (port === ownPort) {
    u.protocol = g.scheme + ":";
    // The URL host setter keeps the old port when the new host has none; Prometheus replaces host:port whole.
    u.port = "";
    u.host = g.host;
  } else {
    const h = g.host.startsWith("[") ? g.host.slice(0, g.host.indexOf("]") + 1) : g.host.split(":")[0]!;
    u.host = u.port ? `${h}:${u.port}` : h;
  }
  return u.toString();
}

function parseLimit(s: string, name = "limit"): number {
  if (s === "") return -1;
  if (!/^[+-]?\d+$/.test(s)) throw new BadDataError(`${name} must be a number`);
  return Number(s);
}

function targetMetadata(tr: TargetRetriever | undefined, p: Params): ApiOutcome {
  const limit = parseLimit(p.get("limit"));
  const matchTarget = p.get("match_target");
  let matchers: Matcher[] | null = null;
  if (matchTarget !== "") {
    try {
      matchers = parseSeriesSelector(matchTarget).matchers;
    } catch (e) {
      throw invalidParam("match_target", e);
    }
  }
  const metric = p.get("metric");
  const out: unknown[] = [];
  outer: for (const [, list] of sortedEntries(tr?.targetsActive())) {
    for (const t of list) {
      if (limit >= 0 && out.length >= limit) break outer;
      const target = publicLabels(t.labels);
      if (matchers && !matchAll(matchers, target)) continue;
      if (metric === "") {
        for (const [name, md] of t.metadata) out.push({ target, metric: name, type: md.type, help: md.help, unit: md.unit });
      } else {
        const md = t.metadata.get(metric);
        if (md) out.push({ target, type: md.type, help: md.help, unit: md.unit });
      }
    }
  }
  return { data: limit >= 0 ? out.slice(0, limit) : out };
}

function metricMetadata(tr: TargetRetriever | undefined, p: Params): ApiOutcome {
  const limit = parseLimit(p.get("limit"));
  const perMetric = parseLimit(p.get("limit_per_metric"), "limit_per_metric");
  const metric = p.get("metric");
  const metrics = new Map<string, Map<string, MetricMetadata>>();
  const add = (name: string, md: MetricMetadata) => {
    let set = metrics.get(name);
    if (!set) metrics.set(name, (set = new Map()));
    const key = `${md.type}\xff${md.help}\xff${md.unit}`;
    if (!set.has(key)) set.set(key, { type: md.type, help: md.help, unit: md.unit });
  };
  for (const [, list] of sortedEntries(tr?.targetsActive())) {
    for (const t of list) {
      if (metric === "") {
        for (const [name, md] of t.metadata) add(name, md);
      } else {
        const md = t.metadata.get(metric);
        if (md) add(metric, md);
      }
    }
  }
  const res = new Map<string, MetricMetadata[]>();
  for (const [name, set] of metrics) {
    if (limit >= 0 && res.size >= limit) break;
    let list = [...set.values()];
    if (perMetric > 0) list = list.slice(0, perMetric);
    res.set(name, list);
  }
  return { data: res };
}
