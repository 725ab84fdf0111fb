/**
 * @module exporters/blackbox/cli
 * Standalone blackbox exporter: `bun run exporter:blackbox -- [flags]`, with blackbox_exporter's flags:
 * --config.file (default blackbox.yml), --web.listen-address (default :9115), --timeout-offset (default
 * 0.5), --config.check (validate and exit), --log.level, --log.format. --history.limit, --log.prober,
 * --web.external-url and --web.route-prefix are accepted and ignored (with a warning); --web.config.file is
 * refused. SIGHUP or POST /-/reload reloads the modules file. Runs under Bun and Deno.
 */
import { createLogger, type LogLevel } from "../../core/log/logger.ts";
import { detectRuntime } from "../../core/runtime/index.ts";
import { errorMessage } from "../../core/util/errors.ts";
import { splitListenAddress } from "../node/flags.ts";
import { loadBlackboxConfig } from "./config.ts";
import { BlackboxExporter } from "./exporter.ts";

/** Parsed flags. */
export interface BlackboxFlags {
  configFile: string;
  listenAddress: string;
  timeoutOffsetS: number;
  configCheck: boolean;
  logLevel: LogLevel;
  logFormat: "logfmt" | "json";
  /** Flags accepted for compatibility that have no effect here (warned about at startup). */
  ignored: string[];
}

/** Parses blackbox_exporter flags (`--flag=value` or `--flag value`). @throws Error on unknown flags. */
export function parseBlackboxFlags(argv: readonly string[]): BlackboxFlags {
  const f: BlackboxFlags = { configFile: "blackbox.yml", listenAddress: ":9115", timeoutOffsetS: 0.5, configCheck: false, logLevel: "info", logFormat: "logfmt", ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(0, eq) : a;
    const val = () => (eq >= 0 ? a.slice(eq + 1) : (argv[++i] ?? ""));
    switch (name) {
      case "--config.file": f.configFile = val(); break;
      case "--web.listen-address": f.listenAddress = val(); break;
      case "--timeout-offset": {
        const v = Number(val());
        if (Number.isNaN(v)) throw new Error("--timeout-offset must be a number of seconds");
        f.timeoutOffsetS = v;
        break;
      }
      case "--config.check": f.configCheck = true; break;
      case "--log.level": f.logLevel = val() as LogLevel; break;
      case "--log.format": f.logFormat = val() === "json" ? "json" : "logfmt"; break;
      case "--history.limit":
      case "--log.prober":
      case "--web.external-url":
      case "--web.route-prefix":
        val();
        f.ignored.push(name);
        break;
      case "--web.config.file": throw new Error("--web.config.file (TLS and basic auth) is not supported by Quiver's blackbox exporter; put a reverse proxy in front");
      default: throw new Error(`unknown flag ${name}`);
    }
  }
  return f;
}

/** Starts the exporter; resolves with the server. */
export async function main(argv: readonly string[]) {
  const flags = parseBlackboxFlags(argv);
  const logger = createLogger({ level: flags.logLevel, format: flags.logFormat });
  for (const f of flags.ignored) logger.warn("flag has no effect in Quiver's blackbox exporter", { flag: f });
  if (flags.configCheck) {
    loadBlackboxConfig(flags.configFile);
    logger.info("Config file is ok exiting...");
    process.exit(0);
  }
  const exp = new BlackboxExporter({ config: flags.configFile, logger, timeoutOffsetS: flags.timeoutOffsetS });
  logger.info("Loaded config file", { file: flags.configFile });
  const runtime = detectRuntime();
  const server = await runtime.serve(exp.handler(), splitListenAddress(flags.listenAddress));
  logger.info("Listening on address", { address: `${server.hostname}:${server.port}` });
  runtime.onSignal("SIGHUP", () => {
    try {
      exp.reload();
    } catch {
      // logged by reload
    }
  });
  const stop = () => void server.stop().then(() => process.exit(0));
  runtime.onSignal("SIGTERM", stop);
  runtime.onSignal("SIGINT", stop);
  return server;
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`blackbox exporter: ${errorMessage(e)}\n`);
    process.exit(1);
  });
}
