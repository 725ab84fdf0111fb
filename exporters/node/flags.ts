/**
 * @module exporters/node/flags
 * Command-line flags with node_exporter's names: --path.procfs/sysfs/rootfs/udev.data,
 * --web.listen-address (default :9100), --web.telemetry-path, --collector.<name> / --no-collector.<name>,
 * --collector.disable-defaults, collector options (`--collector.textfile.directory=…`, boolean options as
 * `--collector.stat.softirq` / `--no-collector.cpu.info`), --log.level and --log.format.
 *
 * Quiver additions: --collector.timeout (per-collector timeout, default 5s; node_exporter has none).
 * Flags naming collectors Quiver does not implement are accepted and reported in `unknownCollectors`
 * (so node_exporter command lines keep working); any other unknown flag is an error.
 */
import { parseDuration } from "../../core/util/duration.ts";
import { BadDataError } from "../../core/util/errors.ts";
import { DEFAULT_COLLECTOR_TIMEOUT_MS } from "./exporter.ts";
import { COLLECTORS } from "./registry.ts";

/** Parsed command line. */
export interface NodeFlags {
  procfs: string;
  sysfs: string;
  rootfs: string;
  listenAddress: string;
  telemetryPath: string;
  logLevel: "debug" | "info" | "warn" | "error";
  logFormat: "logfmt" | "json";
  timeoutMs: number;
  /** Enabled collectors, sorted. */
  enabled: string[];
  /** Collector option values by key (`collector.textfile.directory`, `path.udev.data`). */
  options: Map<string, string[]>;
  /** Collector names given in flags that Quiver does not implement. */
  unknownCollectors: string[];
  /** --web.disable-exporter-metrics: leave out the exporter's own process_* metrics. */
  disableExporterMetrics: boolean;
  /** --web.max-requests: concurrent scrapes allowed (0 = unlimited; default 40). */
  maxRequests: number;
  /** Flags accepted for compatibility that have no effect here (warned about at startup). */
  ignored: string[];
}

/** Default --web.listen-address. */
export const DEFAULT_LISTEN_ADDRESS = ":9100";

/** Parses node_exporter-style arguments. @throws BadDataError naming the bad flag. */
export function parseNodeFlags(argv: readonly string[]): NodeFlags {
  const out: NodeFlags = {
    procfs: "/proc", sysfs: "/sys", rootfs: "/", listenAddress: DEFAULT_LISTEN_ADDRESS, telemetryPath: "/metrics",
    logLevel: "info", logFormat: "logfmt", timeoutMs: DEFAULT_COLLECTOR_TIMEOUT_MS, enabled: [], options: new Map(), unknownCollectors: [],
    disableExporterMetrics: false, maxRequests: 40, ignored: [],
  };
  const explicit = new Map<string, boolean>();
  let disableDefaults = false;
  const unknown = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new BadDataError(`unexpected argument ${JSON.stringify(arg)}`);
    let name = arg.slice(2);
    let value: string | undefined;
    const eq = name.indexOf("=");
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const negated = name.startsWith("no-");
    if (negated) name = name.slice(3);
    const takeValue = (): string => {
      if (value !== undefined) return value;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new BadDataError(`flag --${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case "path.procfs": out.procfs = takeValue(); continue;
      case "path.sysfs": out.sysfs = takeValue(); continue;
      case "path.rootfs": out.rootfs = takeValue(); continue;
      case "path.udev.data": out.options.set("path.udev.data", [takeValue()]); continue;
      case "web.listen-address": out.listenAddress = takeValue(); continue;
      case "web.telemetry-path": out.telemetryPath = takeValue(); continue;
      case "log.level": {
        const v = takeValue();
        if (!["debug", "info", "warn", "error"].includes(v)) throw new BadDataError(`--log.level: unknown level ${JSON.stringify(v)}`);
        out.logLevel = v as NodeFlags["logLevel"];
        continue;
      }
      case "log.format": {
        const v = takeValue();
        if (v !== "logfmt" && v !== "json") throw new BadDataError(`--log.format: must be logfmt or json, got ${JSON.stringify(v)}`);
        out.logFormat = v;
        continue;
      }
      case "collector.timeout": out.timeoutMs = parseDuration(takeValue()); continue;
      case "web.disable-exporter-metrics": out.disableExporterMetrics = !negated; continue;
      case "web.max-requests": {
        const v = Number(takeValue());
        if (!Number.isInteger(v) || v < 0) throw new BadDataError("--web.max-requests must be a non-negative integer");
        out.maxRequests = v;
        continue;
      }
      case "runtime.gomaxprocs": takeValue(); out.ignored.push("--runtime.gomaxprocs"); continue;
      case "web.config.file": throw new BadDataError("--web.config.file (TLS and basic auth) is not supported by Quiver's node exporter; put a reverse proxy in front");
      case "collector.disable-defaults": disableDefaults = !negated; continue;
    }
    const m = /^collector\.([a-z0-9_]+)(?:\.(.+))?$/.exec(name);
    if (!m) throw new BadDataError(`unknown flag --${negated ? "no-" : ""}${name}`);
    const [, coll, opt] = m as unknown as [string, string, string | undefined];
    if (opt === undefined) {
      if (value !== undefined && value !== "true" && value !== "false") throw new BadDataError(`--collector.${coll} is a boolean flag`);
      const on = negated ? false : value !== "false";
      if (COLLECTORS.has(coll)) explicit.set(coll, on);
      else unknown.add(coll);
      continue;
    }
    if (!COLLECTORS.has(coll)) unknown.add(coll);
    const key = `collector.${coll}.${opt}`;
    // Options with a value vs boolean options: a value is present with `=`, or the next arg is not a flag.
    let v: string;
    if (negated) v = "false";
    else if (value !== undefined) v = value;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) v = argv[++i]!;
    else v = "true";
    const list = out.options.get(key) ?? [];
    list.push(v);
    out.options.set(key, list);
  }
  for (const [name, e] of COLLECTORS) {
    const on = explicit.get(name) ?? (disableDefaults ? false : e.defaultEnabled);
    if (on) out.enabled.push(name);
  }
  out.enabled.sort();
  out.unknownCollectors = [...unknown].sort();
  return out;
}

/** Splits a listen address (`:9100`, `127.0.0.1:9100`, `[::1]:9100`) into hostname and port. */
export function splitListenAddress(addr: string): { hostname: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(addr);
  if (!m) throw new BadDataError(`invalid listen address ${JSON.stringify(addr)}: want host:port`);
  const host = m[1] ?? m[2] ?? "";
  return { hostname: host === "" ? "0.0.0.0" : host, port: Number(m[3]) };
}
