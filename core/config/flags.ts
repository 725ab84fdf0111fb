/**
 * @module core/config/flags
 * Command-line flags with Prometheus's names, kingpin-style syntax (`--name=value`, `--name value`,
 * `--flag`/`--no-flag` for booleans, repeatable flags) and errors (`unknown long flag`, exit status 2).
 * The table below is also what /api/v1/status/flags reports.
 */
import { parseDuration } from "../util/duration.ts";
import { parseSize } from "../util/size.ts";

type Kind = "string" | "bool" | "duration" | "size" | "int" | "list";

interface FlagDef {
  name: string;
  kind: Kind;
  default: string;
  help: string;
}

/** Every flag Quiver accepts, with Prometheus's defaults where Prometheus has the flag. */
export const FLAG_DEFS: readonly FlagDef[] = [
  { name: "config.file", kind: "string", default: "", help: "Prometheus configuration file path. Empty: the embedded default configuration." },
  { name: "web.listen-address", kind: "string", default: "0.0.0.0:9090", help: "Address to listen on for UI, API, and telemetry." },
  { name: "web.config.file", kind: "string", default: "", help: "Path to configuration file that can enable TLS or authentication." },
  { name: "web.external-url", kind: "string", default: "", help: "The URL under which Quiver is externally reachable (used for generating relative and absolute links back)." },
  { name: "web.route-prefix", kind: "string", default: "", help: "Prefix for the internal routes of web endpoints. Defaults to the path of --web.external-url." },
  { name: "web.enable-lifecycle", kind: "bool", default: "false", help: "Enable shutdown and reload via HTTP request." },
  { name: "web.enable-admin-api", kind: "bool", default: "false", help: "Enable API endpoints for admin control actions." },
  { name: "web.enable-remote-write-receiver", kind: "bool", default: "false", help: "Enable API endpoint accepting remote write requests." },
  { name: "web.enable-otlp-receiver", kind: "bool", default: "false", help: "Enable API endpoint accepting OTLP write requests." },
  { name: "web.cors.origin", kind: "string", default: ".*", help: "Regex for CORS origin. It is fully anchored." },
  { name: "web.page-title", kind: "string", default: "Quiver Time Series Collection and Processing Server", help: "Document title of the web UI." },
  { name: "web.read-timeout", kind: "duration", default: "5m", help: "Maximum duration before timing out read of the request, and closing idle connections." },
  { name: "storage.tsdb.path", kind: "string", default: "data/", help: "Base path for metrics storage." },
  { name: "storage.tsdb.retention.time", kind: "duration", default: "15d", help: "How long to retain samples in storage." },
  { name: "storage.tsdb.retention.size", kind: "size", default: "0B", help: "Maximum number of bytes that can be stored for blocks (B, KB, MB, GB, TB, PB, EB). 0 disables." },
  { name: "storage.tsdb.min-block-duration", kind: "duration", default: "2h", help: "Minimum duration of a data block before being persisted." },
  { name: "storage.tsdb.max-block-duration", kind: "duration", default: "0s", help: "Maximum duration compacted blocks may span. 0: 10% of the retention time, at most 31d." },
  { name: "storage.tsdb.no-lockfile", kind: "bool", default: "false", help: "Do not create lockfile in data directory." },
  { name: "storage.tsdb.wal-compression", kind: "bool", default: "true", help: "Compress the tsdb WAL." },
  { name: "storage.remote.flush-deadline", kind: "duration", default: "1m", help: "How long to wait flushing sample on shutdown or config reload." },
  { name: "storage.remote.read-sample-limit", kind: "int", default: "50000000", help: "Maximum overall number of samples to return via the remote read interface, in a single query. 0 means no limit." },
  { name: "query.timeout", kind: "duration", default: "2m", help: "Maximum time a query may take before being aborted." },
  { name: "query.max-samples", kind: "int", default: "50000000", help: "Maximum number of samples a single query can load into memory." },
  { name: "query.max-concurrency", kind: "int", default: "20", help: "Maximum number of queries executed concurrently." },
  { name: "query.lookback-delta", kind: "duration", default: "5m", help: "The maximum lookback duration for retrieving metrics during expression evaluations and federation." },
  { name: "rules.alert.for-outage-tolerance", kind: "duration", default: "1h", help: "Max time to tolerate outage for restoring \"for\" state of alert." },
  { name: "rules.alert.for-grace-period", kind: "duration", default: "10m", help: "Minimum duration between alert and restored \"for\" state." },
  { name: "rules.alert.resend-delay", kind: "duration", default: "1m", help: "Minimum amount of time to wait before resending an alert to Alertmanager." },
  { name: "alertmanager.notification-queue-capacity", kind: "int", default: "10000", help: "The capacity of the queue for pending Alertmanager notifications." },
  { name: "alertmanager.config.file", kind: "string", default: "", help: "Alertmanager configuration file for the built-in Alertmanager. Empty: a default that keeps alerts without sending." },
  { name: "cluster.peer", kind: "list", default: "", help: "Initial peers of the built-in Alertmanager's HA cluster: base URL or host:port of another Quiver (may be repeated)." },
  { name: "cluster.peer-timeout", kind: "duration", default: "15s", help: "Time to wait between peers to send notifications." },
  { name: "cluster.advertise-address", kind: "string", default: "", help: "How cluster peers name this instance (must match their --cluster.peer). Empty: --web.external-url, else http://<hostname>:<port>." },
  { name: "enable-feature", kind: "list", default: "", help: "Comma separated feature names to enable (promql-experimental-functions, …)." },
  { name: "plugins.dir", kind: "list", default: "", help: "Extra folder to discover plugins from (repeatable); plugins/ of the installation is always searched." },
  { name: "log.level", kind: "string", default: "info", help: "Only log messages with the given severity or above. One of: [debug, info, warn, error]" },
  { name: "log.format", kind: "string", default: "logfmt", help: "Output format of log messages. One of: [logfmt, json]" },
];

/** Parsed flags, typed. Durations in ms, sizes in bytes. */
export interface Flags {
  configFile: string;
  listenAddress: string;
  webConfigFile: string;
  externalUrl: string;
  routePrefix: string;
  enableLifecycle: boolean;
  enableAdminApi: boolean;
  enableRemoteWriteReceiver: boolean;
  enableOtlpReceiver: boolean;
  corsOrigin: string;
  pageTitle: string;
  tsdbPath: string;
  retentionTime: number;
  retentionSize: number;
  minBlockDuration: number;
  maxBlockDuration: number;
  walCompression: boolean;
  noLockfile: boolean;
  remoteFlushDeadline: number;
  remoteReadSampleLimit: number;
  queryTimeout: number;
  queryMaxSamples: number;
  queryMaxConcurrency: number;
  lookbackDelta: number;
  forOutageTolerance: number;
  forGracePeriod: number;
  resendDelay: number;
  notificationQueueCapacity: number;
  alertmanagerConfigFile: string;
  /** --cluster.peer values. */
  clusterPeers: string[];
  /** --cluster.peer-timeout, ms. */
  clusterPeerTimeout: number;
  clusterAdvertiseAddress: string;
  features: string[];
  pluginDirs: string[];
  logLevel: string;
  logFormat: string;
  /** Every flag's value as a string, for /api/v1/status/flags. */
  raw: Record<string, string>;
}

/** A bad command line. `exitCode` is 2, as kingpin exits. */
export class FlagError extends Error {
  readonly exitCode = 2;
}

/** The result of parsing: flags, or a request for help/version output. */
export type FlagResult = { kind: "run"; flags: Flags } | { kind: "help" } | { kind: "version" };

/** Parses argv (without the runtime and script). Throws {@link FlagError}. */
export function parseFlags(argv: readonly string[]): FlagResult {
  const byName = new Map(FLAG_DEFS.map((d) => [d.name, d]));
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") return { kind: "help" };
    if (a === "--version") return { kind: "version" };
    if (!a.startsWith("--")) throw new FlagError(`unexpected ${a}, try --help`);
    let name = a.slice(2);
    let value: string | undefined;
    const eq = name.indexOf("=");
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    let def = byName.get(name);
    if (!def && name.startsWith("no-") && value === undefined) {
      const pos = byName.get(name.slice(3));
      if (pos?.kind === "bool") {
        values.set(pos.name, "false");
        continue;
      }
    }
    if (!def) throw new FlagError(`unknown long flag '--${name}', try --help`);
    if (def.kind === "bool") {
      if (value === undefined) value = "true";
      if (value !== "true" && value !== "false") throw new FlagError(`--${name}: expected true or false, got ${JSON.stringify(value)}`);
    } else if (value === undefined) {
      if (i + 1 >= argv.length) throw new FlagError(`expected argument for flag '--${name}'`);
      value = argv[++i]!;
    }
    checkValue(def, value);
    if (def.kind === "list") lists.set(name, [...(lists.get(name) ?? []), ...value.split(",").map((s) => s.trim()).filter(Boolean)]);
    else values.set(name, value);
  }
  const raw: Record<string, string> = {};
  for (const d of FLAG_DEFS) raw[d.name] = d.kind === "list" ? (lists.get(d.name) ?? []).join(",") : values.get(d.name) ?? d.default;

  const s = (n: string) => raw[n]!;
  const b = (n: string) => raw[n] === "true";
  const dur = (n: string) => parseDuration(raw[n]!);
  const level = s("log.level");
  if (!["debug", "info", "warn", "error"].includes(level)) throw new FlagError(`--log.level: invalid value ${JSON.stringify(level)}, one of: debug, info, warn, error`);
  const format = s("log.format");
  if (!["logfmt", "json"].includes(format)) throw new FlagError(`--log.format: invalid value ${JSON.stringify(format)}, one of: logfmt, json`);
  return {
    kind: "run",
    flags: {
      configFile: s("config.file"),
      listenAddress: s("web.listen-address"),
      webConfigFile: s("web.config.file"),
      externalUrl: s("web.external-url"),
      routePrefix: s("web.route-prefix"),
      enableLifecycle: b("web.enable-lifecycle"),
      enableAdminApi: b("web.enable-admin-api"),
      enableRemoteWriteReceiver: b("web.enable-remote-write-receiver"),
      enableOtlpReceiver: b("web.enable-otlp-receiver"),
      corsOrigin: s("web.cors.origin"),
      pageTitle: s("web.page-title"),
      tsdbPath: s("storage.tsdb.path"),
      retentionTime: dur("storage.tsdb.retention.time"),
      retentionSize: parseSize(s("storage.tsdb.retention.size")),
      minBlockDuration: dur("storage.tsdb.min-block-duration"),
      maxBlockDuration: dur("storage.tsdb.max-block-duration"),
      walCompression: b("storage.tsdb.wal-compression"),
      noLockfile: b("storage.tsdb.no-lockfile"),
      remoteFlushDeadline: dur("storage.remote.flush-deadline"),
      remoteReadSampleLimit: Number(s("storage.remote.read-sample-limit")),
      queryTimeout: dur("query.timeout"),
      queryMaxSamples: Number(s("query.max-samples")),
      queryMaxConcurrency: Number(s("query.max-concurrency")),
      lookbackDelta: dur("query.lookback-delta"),
      forOutageTolerance: dur("rules.alert.for-outage-tolerance"),
      forGracePeriod: dur("rules.alert.for-grace-period"),
      resendDelay: dur("rules.alert.resend-delay"),
      notificationQueueCapacity: Number(s("alertmanager.notification-queue-capacity")),
      alertmanagerConfigFile: s("alertmanager.config.file"),
      clusterPeers: lists.get("cluster.peer") ?? [],
      clusterPeerTimeout: dur("cluster.peer-timeout"),
      clusterAdvertiseAddress: s("cluster.advertise-address"),
      features: lists.get("enable-feature") ?? [],
      pluginDirs: lists.get("plugins.dir") ?? [],
      logLevel: level,
      logFormat: format,
      raw,
    },
  };
}


function checkValue(d: FlagDef, v: string): void {
  try {
    if (d.kind === "duration") parseDuration(v);
    else if (d.kind === "size") parseSize(v);
    else if (d.kind === "int" && !/^\d+$/.test(v)) throw new Error(`expected an integer, got ${JSON.stringify(v)}`);
  } catch (e) {
    throw new FlagError(`invalid value ${JSON.stringify(v)} for flag '--${d.name}': ${(e as Error).message}`);
  }
}

/** Renders --help text. */
export function helpText(program: string): string {
  const lines = [`usage: ${program} [<flags>]`, "", "The Quiver monitoring server", "", "Flags:", "  -h, --help  Show context-sensitive help.", "      --version  Show application version."];
  for (const d of FLAG_DEFS) {
    const arg = d.kind === "bool" ? `--[no-]${d.name}` : `--${d.name}=${d.kind.toUpperCase()}`;
    const dflt = d.default && d.kind !== "bool" ? ` (default: ${JSON.stringify(d.default)})` : "";
    lines.push(`      ${arg}`, `          ${d.help}${dflt}`);
  }
  return lines.join("\n");
}
