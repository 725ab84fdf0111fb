/**
 * @module core/api/federate
 * GET /federate?match[]=…: the latest sample of every series matching any `match[]` selector, within
 * the lookback delta before now, in the text exposition format 0.0.4 — what a Prometheus server with a
 * `honor_labels: true` federation job scrapes. As Prometheus does:
 * - every family is written `# TYPE <name> untyped`, samples carry their timestamp (ms);
 * - series whose latest sample is a staleness marker are left out;
 * - external labels are attached to each series that does not already have that label;
 * - no `match[]` gives an empty answer; a bad selector is 400 with the parser's message (plain text);
 * - the answer is gzip/deflate-compressed when the scraper accepts it (Prometheus scrapers do).
 * Families are grouped by metric name; series keep label order within a family; a series' own labels
 * come first (sorted), then the external labels it lacks, in their order.
 */
import { Elysia } from "elysia";
import { writeText, CONTENT_TYPE_TEXT } from "../exposition/index.ts";
import { compareLabels, type Labels } from "../model/labels.ts";
import type { Matcher } from "../model/matcher.ts";
import { isStaleAt } from "../model/value.ts";
import type { MetricFamily } from "../model/metric-family.ts";
import { parseSeriesSelector } from "../promql/parser/index.ts";
import type { Queryable, Series } from "../storage/interface.ts";
import { compress } from "./v1/envelope.ts";
import { readParams } from "./v1/params.ts";
import { byteOrder } from "./v1/json.ts";

/** What /federate needs. */
export interface FederateDeps {
  queryable: Queryable;
  /** global.external_labels of the current configuration (read per request: reloads change them). */
  externalLabels(): Labels;
  /** --query.lookback-delta in ms. */
  lookbackDelta: number;
  /** --web.route-prefix without trailing slash. */
  routePrefix?: string;
  /** Until true, answers 503 like Prometheus's ready wrapper. */
  isReady?: () => boolean;
  /** Clock in ms. */
  now?: () => number;
}

const TEXT = { "content-type": "text/plain; charset=utf-8" };

/** Builds the federation area (`federate`). */
export function federateApi(d: FederateDeps) {
  return new Elysia({ name: "federate" }).get(`${d.routePrefix ?? ""}/federate`, async ({ request }) => {
    if (d.isReady && !d.isReady()) return new Response("Service Unavailable", { status: 503, headers: TEXT });
    let selectors: string[];
    try {
      selectors = (await readParams(request)).getAll("match[]");
    } catch (e) {
      return new Response(`error parsing form values: ${(e as Error).message}\n`, { status: 400, headers: TEXT });
    }
    const sets: Matcher[][] = [];
    for (const s of selectors) {
      try {
        sets.push(parseSeriesSelector(s).matchers);
      } catch (e) {
        return new Response(`${(e as Error).message}\n`, { status: 400, headers: TEXT });
      }
    }
    const maxt = (d.now ?? Date.now)();
    const mint = maxt - d.lookbackDelta;
    let body: string;
    try {
      body = await federate(d, sets, mint, maxt);
    } catch (e) {
      return new Response(`federation failed: ${(e as Error).message}\n`, { status: 500, headers: TEXT });
    }
    return compress(request, new Response(body, { headers: { "content-type": CONTENT_TYPE_TEXT } }));
  });
}

/** Renders the federation answer for the matcher sets over [mint, maxt] (ms). */
export async function federate(d: FederateDeps, sets: Matcher[][], mint: number, maxt: number): Promise<string> {
  if (sets.length === 0) return "";
  const q = await d.queryable.querier(mint, maxt);
  const bySeries = new Map<string, Series>();
  try {
    for (const ms of sets) {
      const res = await q.select(ms, { start: mint, end: maxt });
      for (const s of res.series) bySeries.set(s.labels.key(), s);
    }
  } finally {
    q.close();
  }
  const external = d.externalLabels();
  const families = new Map<string, MetricFamily>();
  const ordered = [...bySeries.values()].sort((a, b) => compareLabels(a.labels, b.labels));
  for (const s of ordered) {
    const i = lastIndexAtOrBefore(s.timestamps, maxt);
    if (i < 0 || s.timestamps[i]! < mint) continue;
    if (isStaleAt(s.values, i)) continue;
    const name = s.labels.metricName;
    if (name === "") continue; // Prometheus ignores nameless series during federation.
    const labels: Record<string, string> = {};
    s.labels.forEach((n, v) => {
      if (n !== "__name__" && v !== "") labels[n] = v;
    });
    external.forEach((n, v) => {
      if (!(n in labels) && n !== "__name__") labels[n] = v;
    });
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: "untyped", samples: [] }));
    f.samples.push({ name, labels, value: s.values[i]!, timestampMs: s.timestamps[i]! });
  }
  return writeText([...families.values()].sort((a, b) => byteOrder(a.name, b.name)));
}

function lastIndexAtOrBefore(ts: Float64Array, t: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
