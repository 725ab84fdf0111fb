/**
 * @module core/main
 * Quiver's entry point: parse flags (Prometheus's names), set up logging, start the server, and wire
 * process signals — SIGHUP reloads the configuration, SIGTERM/SIGINT shut down gracefully so storage is
 * flushed and closed. Exit codes: 0 clean, 1 startup failure, 2 bad command line.
 */
import { FlagError, helpText, parseFlags } from "./config/flags.ts";
import { createLogger, type LogFormat, type LogLevel } from "./log/logger.ts";
import { detectRuntime } from "./runtime/index.ts";
import { Quiver } from "./app/quiver.ts";
import { VERSION } from "./app/version.ts";
import { errorMessage } from "./util/errors.ts";

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseFlags(argv);
  } catch (e) {
    if (e instanceof FlagError) {
      process.stderr.write(`quiver: error: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
  if (parsed.kind === "help") {
    process.stdout.write(helpText("quiver") + "\n");
    return 0;
  }
  const runtime = detectRuntime();
  if (parsed.kind === "version") {
    process.stdout.write(`quiver, version ${VERSION} (${runtime.name} ${runtime.version})\n`);
    return 0;
  }
  const flags = parsed.flags;
  const logger = createLogger({ level: flags.logLevel as LogLevel, format: flags.logFormat as LogFormat });
  logger.info("Starting Quiver", { version: VERSION, runtime: `${runtime.name} ${runtime.version}` });
  const q = new Quiver({ flags, logger, runtime });
  try {
    await q.start();
  } catch (e) {
    logger.error("Error starting Quiver", { err: errorMessage(e) });
    await q.stop().catch(() => {});
    return 1;
  }
  runtime.onSignal("SIGHUP", () => {
    q.reload().catch(() => {});
  });
  let signalled = "";
  const shutdown = (sig: string) => {
    signalled = sig;
    logger.warn(`Received ${sig}, exiting gracefully...`);
    void q.stop();
  };
  runtime.onSignal("SIGTERM", () => shutdown("SIGTERM"));
  runtime.onSignal("SIGINT", () => shutdown("SIGINT"));
  try {
    await q.stopped; // resolves after a signal or /-/quit
    return 0;
  } catch (e) {
    logger.error("Error during shutdown", { err: errorMessage(e), signal: signalled });
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  process.stderr.write(`quiver: fatal: ${errorMessage(e)}\n`);
  process.exit(1);
});
