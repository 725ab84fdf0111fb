/**
 * Shared helpers of the scrape tests: configs, loops over MemoryStorage, reading samples back, and the
 * scrape endpoints of the mounted HTTP API.
 */
import { apiV1, type ApiV1Deps, type TargetRetriever } from "../../../core/api/v1/index.ts";
import { DEFAULT_GLOBAL } from "../../../core/config/global.ts";
import { nopLogger } from "../../../core/log/logger.ts";
import { Matcher } from "../../../core/model/matcher.ts";
import { isStaleAt } from "../../../core/model/value.ts";
import { parseScrapeConfig, type ScrapeConfig } from "../../../core/scrape/config.ts";
import { ScrapeLoop, SYSTEM_CLOCK, type CollectFn, type ParseFn } from "../../../core/scrape/loop.ts";
import { ScrapeMetrics } from "../../../core/scrape/metrics.ts";
import { parseScrapeBody } from "../../../core/scrape/parse.ts";
import { populateLabels, Target } from "../../../core/scrape/target.ts";
import { MemoryStorage } from "../../../core/storage/memory.ts";
import { STATUS } from "../api/v1/helpers.ts";

/** A scrape config from YAML-shaped fields (job "test" by default). */
export function scrapeConfig(fields: Record<string, unknown> = {}): ScrapeConfig {
  return parseScrapeConfig({ job_name: "test", ...fields }, DEFAULT_GLOBAL, "scrape_configs[0]");
}

/** A loop for one target address, writing to a fresh MemoryStorage. */
export function makeLoop(cfg: ScrapeConfig, address: string, opts: { collect?: CollectFn; extra?: boolean; db?: MemoryStorage; parse?: ParseFn } = {}) {
  const db = opts.db ?? new MemoryStorage();
  const r = populateLabels(cfg, { __address__: address }, {});
  if (!r.labels) throw new Error(`target dropped: ${r.error}`);
  const target = new Target(r.labels, r.discovered, cfg.params);
  const metrics = new ScrapeMetrics();
  // A clock pinned to the scrape time under test, so samples get exactly that timestamp.
  let current = 0;
  const clock = { now: () => current, sleep: SYSTEM_CLOCK.sleep };
  const real = new ScrapeLoop({
    target, config: cfg, appendable: db, logger: nopLogger, clock, metrics, parse: opts.parse ?? parseScrapeBody,
    configDir: process.cwd(), collect: opts.collect, extraScrapeMetrics: opts.extra,
  });
  const loop = {
    async scrapeOnce(t: number) {
      current = t;
      await real.scrapeOnce(t);
    },
  };
  return { db, loop, real, target, metrics };
}

/** A sample read back: value rendered as "stale" for staleness markers. */
export type Got = { labels: Record<string, string>; t: number; v: number | "stale" };

/** All samples of series whose __name__ matches `name` (regex), sorted by labels then time. */
export async function samples(db: MemoryStorage, name = ".+"): Promise<Got[]> {
  const q = await db.querier(0, Number.MAX_SAFE_INTEGER);
  const set = await q.select([new Matcher("=~", "__name__", name)], { start: 0, end: Number.MAX_SAFE_INTEGER });
  const out: Got[] = [];
  for (const s of set.series) {
    for (let i = 0; i < s.timestamps.length; i++) {
      const v = s.values[i]!;
      out.push({ labels: s.labels.toObject(), t: s.timestamps[i]!, v: isStaleAt(s.values, i) ? "stale" : v });
    }
  }
  return out;
}

/** The value of one synthetic series at time t (matching by name only). */
export async function valueAt(db: MemoryStorage, name: string, t: number): Promise<number | "stale" | undefined> {
  return (await samples(db, name)).find((s) => s.t === t)?.v;
}

/** One entry of `activeTargets` as /api/v1/targets renders it. */
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

/** One entry of /api/v1/targets/metadata. */
export interface TargetMetadataJSON {
  target: Record<string, string>;
  metric?: string;
  type: string;
  help: string;
  unit: string;
}

/**
 * The scrape endpoints of the mounted core/api v1 (what the server serves) over a TargetRetriever such
 * as ScrapeManager. Each method takes the query string (with its `?`) and resolves to the envelope's
 * `data`; a non-success answer throws with the error text. No sockets.
 */
export function scrapeApi(targets: TargetRetriever, globalUrl?: ApiV1Deps["globalUrl"]) {
  const app = apiV1({ queryable: new MemoryStorage(), status: STATUS, targets, enableAdminApi: false, globalUrl });
  const get = async <T>(path: string): Promise<T> => {
    const res = await app.handle(new Request(`http://localhost${path}`));
    const j = (await res.json()) as { status: string; data: T; error?: string };
    if (j.status !== "success") throw new Error(`GET ${path}: ${res.status} ${j.error}`);
    return j.data;
  };
  return {
    targets: (q = "") => get<TargetsData>(`/api/v1/targets${q}`),
    scrapePools: () => get<{ scrapePools: string[] }>("/api/v1/scrape_pools"),
    targetMetadata: (q = "") => get<TargetMetadataJSON[]>(`/api/v1/targets/metadata${q}`),
    metadata: (q = "") => get<Record<string, Array<{ type: string; help: string; unit: string }>>>(`/api/v1/metadata${q}`),
  };
}
