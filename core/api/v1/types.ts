/**
 * @module core/api/v1/types
 * The narrow interfaces the /api/v1 areas depend on (Prometheus's QueryEngine, TargetRetriever,
 * RulesRetriever, AlertmanagerRetriever and TSDBAdminStats seams), plus {@link ApiV1Deps}, the options
 * object of `apiV1()`. Components implement these structurally; nothing here imports them.
 *
 * Units: times are ms since the Unix epoch, durations ms, unless a field says seconds. Every optional
 * source may be absent: the endpoint then answers as Prometheus does with nothing configured (empty
 * lists), or with `unavailable` where an answer is impossible (no query engine, no TSDB).
 */
import type { Labels } from "../../model/labels.ts";
import type { Matcher } from "../../model/matcher.ts";
import type { Expr } from "../../promql/parser/index.ts";
import type { Queryable } from "../../storage/interface.ts";

// ---------------------------------------------------------------------------------------------- query

// The engine's own result and option types: the API renders exactly what core/promql returns.
export type { InstantSample, MatrixSeries as RangeSeries, QueryOptions, QueryResult, QueryStats, QueryValue } from "../../promql/engine/engine.ts";
import type { QueryOptions, QueryResult } from "../../promql/engine/engine.ts";

/**
 * The PromQL engine as the API uses it (core/promql's Engine satisfies it). Both query methods parse
 * first: a syntax or type error must be thrown with code `bad_data` (ParseError); evaluation errors
 * carry their codes (timeout, canceled, execution; anything else is reported as `execution`).
 */
export interface QueryEngine {
  /** Evaluates `query` at `time` (ms). */
  instantQuery(queryable: Queryable, query: string, time: number, opts: QueryOptions): Promise<QueryResult>;
  /** Evaluates `query` over [start, end] every `step` (all ms; step > 0). */
  rangeQuery(queryable: Queryable, query: string, start: number, end: number, step: number, opts: QueryOptions): Promise<QueryResult>;
  /** Parses with the engine's feature flags (throws ParseError); lets the API reject bad range queries as bad_data. */
  parse?(query: string): Expr;
}

/** One exemplar (Prometheus's exemplar.Exemplar). */
export interface Exemplar {
  labels: Labels;
  value: number;
  /** ms */
  ts: number;
}

/** Exemplars of one series. */
export interface ExemplarSeries {
  seriesLabels: Labels;
  exemplars: Exemplar[];
}

/** Exemplar storage (Prometheus's ExemplarQuerier). Absent: query_exemplars answers []. */
export interface ExemplarQueryable {
  /** Exemplars in [start, end] (ms) of series matching any of the matcher sets. */
  selectExemplars(start: number, end: number, matcherSets: Matcher[][]): Promise<ExemplarSeries[]>;
}

// ---------------------------------------------------------------------------------------------- targets

/** Metric metadata as scraped (type is Prometheus's lowercase name: counter, gauge, …, unknown). */
export interface MetricMetadata {
  type: string;
  help: string;
  unit: string;
}

/** What the API reads from one active scrape target (core/scrape's Target satisfies it). */
export interface ActiveTargetView {
  /** Labels after relabeling, including `__`-prefixed ones. */
  readonly labels: Labels;
  /** Labels before relabeling. */
  readonly discoveredLabels: Labels;
  /** The scrape URL. */
  readonly url: string;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
  /** ms since the epoch of the last scrape start; 0 before the first. */
  readonly lastScrape: number;
  /** Seconds. */
  readonly lastScrapeDuration: number;
  /** Metadata of the last scrapes, by metric family name. */
  readonly metadata: ReadonlyMap<string, MetricMetadata>;
}

/** A target dropped by relabeling. */
export interface DroppedTargetView {
  readonly discoveredLabels: Labels;
}

/** Scrape targets by scrape pool (job name); Prometheus's TargetRetriever. */
export interface TargetRetriever {
  targetsActive(): ReadonlyMap<string, readonly ActiveTargetView[]>;
  targetsDropped(): ReadonlyMap<string, readonly DroppedTargetView[]>;
  /** Number of dropped targets per pool (may exceed the retained list). Defaults to the list sizes. */
  droppedTargetCounts?(): ReadonlyMap<string, number>;
  /** Configured scrape pool names. Defaults to the keys of targetsActive. */
  scrapePools?(): string[];
}

// ---------------------------------------------------------------------------------------------- rules

/** An active alert of an alerting rule. */
export interface AlertView {
  labels: Labels;
  annotations: Labels;
  state: "pending" | "firing" | "inactive";
  /** ms since the epoch the alert became active. */
  activeAt: number;
  /** ms since the epoch since which the alert keeps firing after resolving (0 = not). */
  keepFiringSince?: number;
  value: number;
}

/** Fields shared by both rule kinds. */
interface RuleViewBase {
  name: string;
  /** The rule's expression as PromQL text. */
  query: string;
  labels: Labels;
  health: "ok" | "err" | "unknown";
  lastError: string;
  /** Seconds. */
  evaluationTime: number;
  /** ms since the epoch; 0 = never. */
  lastEvaluation: number;
}

/** An alerting rule. */
export interface AlertingRuleView extends RuleViewBase {
  type: "alerting";
  state: "pending" | "firing" | "inactive";
  /** `for`, seconds. */
  duration: number;
  /** `keep_firing_for`, seconds. */
  keepFiringFor: number;
  annotations: Labels;
  alerts: AlertView[];
}

/** A recording rule. */
export interface RecordingRuleView extends RuleViewBase {
  type: "recording";
}

/** A rule group. */
export interface RuleGroupView {
  name: string;
  file: string;
  rules: Array<AlertingRuleView | RecordingRuleView>;
  /** Seconds. */
  interval: number;
  limit: number;
  /** Seconds. */
  evaluationTime: number;
  /** ms; 0 = never. */
  lastEvaluation: number;
}

/** Rule groups in file order (Prometheus's RulesRetriever). */
export interface RulesRetriever {
  ruleGroups(): RuleGroupView[];
}

/** Alertmanager URLs the notifier sends to (Prometheus's AlertmanagerRetriever). */
export interface AlertmanagerRetriever {
  alertmanagers(): string[];
  droppedAlertmanagers(): string[];
}

// ---------------------------------------------------------------------------------------------- tsdb

/** One cardinality statistic. */
export interface TSDBStat {
  name: string;
  value: number;
}

/** Head statistics and cardinality (Prometheus's tsdb.Stats), top `limit` entries per list. */
export interface TSDBStats {
  numSeries: number;
  numLabelPairs: number;
  chunkCount: number;
  /** ms; Prometheus reports math.MaxInt64/MinInt64-style sentinels for an empty head. */
  minTime: number;
  maxTime: number;
  seriesCountByMetricName: TSDBStat[];
  labelValueCountByLabelName: TSDBStat[];
  memoryInBytesByLabelName: TSDBStat[];
  seriesCountByLabelValuePair: TSDBStat[];
}

/** WAL replay progress in segments. */
export interface WalReplayStatus {
  min: number;
  max: number;
  current: number;
}

/** TSDB admin and statistics (Prometheus's TSDBAdminStats). */
export interface TSDBAdmin {
  /** Tombstones samples in [mint, maxt] (ms) of series matching all matchers. */
  delete(mint: number, maxt: number, matchers: Matcher[]): Promise<void>;
  cleanTombstones(): Promise<void>;
  /** Writes a snapshot into `dir` (created by the API under <data>/snapshots/). */
  snapshot(dir: string, withHead: boolean): Promise<void>;
  /** Cardinality statistics, top `limit` per list. */
  stats(limit: number): Promise<TSDBStats>;
  walReplayStatus(): WalReplayStatus;
}

// ---------------------------------------------------------------------------------------------- status

/** Prometheus's PrometheusVersion (status/buildinfo). */
export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

/** Prometheus's RuntimeInfo (status/runtimeinfo); Go-specific fields carry the runtime's equivalents. */
export interface RuntimeInfo {
  /** ms */
  startTime: number;
  CWD: string;
  hostname: string;
  /** ms */
  serverTime: number;
  reloadConfigSuccess: boolean;
  /** ms */
  lastConfigTime: number;
  corruptionCount: number;
  goroutineCount: number;
  GOMAXPROCS: number;
  GOMEMLIMIT: number;
  GOGC: string;
  GODEBUG: string;
  storageRetention: string;
}

/** The status endpoints' sources. */
export interface StatusSources {
  /** The loaded configuration as YAML (status/config). */
  configYaml(): string;
  /** Every flag's value (status/flags). */
  flags(): Record<string, string>;
  runtimeInfo(): RuntimeInfo | Promise<RuntimeInfo>;
  buildInfo(): BuildInfo;
}

// ---------------------------------------------------------------------------------------------- deps

/** Everything `apiV1()` needs. Only `queryable` and `status` are required. */
export interface ApiV1Deps {
  /** The store queries, labels and series read from. */
  queryable: Queryable;
  status: StatusSources;
  /** The PromQL engine; absent → query endpoints answer `unavailable`. */
  engine?: QueryEngine;
  exemplars?: ExemplarQueryable;
  targets?: TargetRetriever;
  rules?: RulesRetriever;
  alertmanagers?: AlertmanagerRetriever;
  /** The TSDB; absent → status/tsdb, walreplay and admin answer `unavailable`. */
  tsdb?: TSDBAdmin;
  /** --web.enable-admin-api. */
  enableAdminApi: boolean;
  /** Data directory (snapshots go to <dataDir>/snapshots/<name>). */
  dataDir?: string;
  /**
   * --web.cors.origin (regex source, fully anchored). When set, answers to requests with an Origin carry
   * Prometheus's CORS headers; when undefined the API sets none (the server may add its own).
   */
  corsOrigin?: string;
  /** --web.route-prefix without trailing slash ("" or "/prefix"). */
  routePrefix?: string;
  /**
   * The externally reachable URL pieces used for targets' `globalUrl` (Prometheus's GlobalURLOptions):
   * our listen address, and the host and scheme of --web.external-url.
   */
  globalUrl?: { listenAddress: string; host: string; scheme: string };
  /** Whether the server is ready; until then every endpoint answers 503 like Prometheus. Default: ready. */
  isReady?: () => boolean;
  /** Clock in ms (default Date.now). */
  now?: () => number;
}
