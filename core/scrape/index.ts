/**
 * @module core/scrape
 * The scrape subsystem's public surface: config validation, the manager and the loop pieces tests and
 * the composition root need. The HTTP API reads the manager through core/api's TargetRetriever. Import
 * from here.
 */
export {
  durationLabel, KNOWN_SCRAPE_PROTOCOLS, parseScrapeConfig, parseScrapeConfigFile, parseScrapeConfigs, resolvePaths,
  type ParseScrapeOptions, type ScrapeConfig,
} from "./config.ts";
export { discoveryFor, ScrapeManager, type ScrapeManagerOptions } from "./manager.ts";
export { ScrapePool, type DroppedTarget } from "./pool.ts";
export { ScrapeLoop, SYSTEM_CLOCK, type Clock, type CollectFn, type ParseFn } from "./loop.ts";
export { populateLabels, Target, targetURL, type TargetHealth } from "./target.ts";
export { ScrapeMetrics } from "./metrics.ts";
export { parseScrapeBody } from "./parse.ts";
export { ScrapeCache, CACHE_EVICT_AFTER, type SeriesCache } from "./cache.ts";
