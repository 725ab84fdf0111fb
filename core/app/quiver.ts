/**
 * @module core/app/quiver
 * The running server: owns every component, applies configuration to them in dependency order, reloads
 * (a bad config keeps the running one), and shuts down gracefully (stop intake, flush storage, close).
 */
import { join, resolve } from "node:path";
import { Registry } from "../../exporters/service/index.ts";
import { lifecycleApi } from "../api/lifecycle.ts";
import { metricsEndpoint } from "../api/metrics-endpoint.ts";
import { buildApp, serve, parseListenAddress, type Area } from "../api/server.ts";
import type { Flags } from "../config/flags.ts";
import { loadConfigFile, parseConfig, type Config, type SectionParsers } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";
import { PluginManager } from "../plugin/manager.ts";
import type { Runtime, Server } from "../runtime/index.ts";
import { errorMessage } from "../util/errors.ts";
import { defaultConfigYaml } from "./default-config.ts";
import { registerSelfMetrics, type SelfMetrics } from "./self-metrics.ts";

/** The installation's own plugins folder. */
export const BUILTIN_PLUGIN_DIR = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", "..", "plugins");

/** Section parsers of the components wired into this build. */
export type Sections = Record<string, unknown>;

/** Options of {@link Quiver}. */
export interface QuiverOptions {
  flags: Flags;
  logger: Logger;
  runtime: Runtime;
}

/** The whole server. */
export class Quiver {
  readonly flags: Flags;
  readonly logger: Logger;
  readonly runtime: Runtime;
  readonly registry = new Registry();
  readonly plugins: PluginManager;
  readonly self: SelfMetrics;
  config: Config<Sections> | undefined;
  #server: Server | undefined;
  #ready = false;
  #stopping: Promise<void> | undefined;
  #stoppedResolve!: () => void;
  #stoppedReject!: (e: unknown) => void;
  /** Settles when a shutdown (signal, /-/quit, or stop()) has finished. */
  readonly stopped: Promise<void> = new Promise((res, rej) => {
    this.#stoppedResolve = res;
    this.#stoppedReject = rej;
  });
  #parsers: SectionParsers<Sections> = { scrape_configs: (raw) => raw };

  constructor(opts: QuiverOptions) {
    this.flags = opts.flags;
    this.logger = opts.logger;
    this.runtime = opts.runtime;
    this.self = registerSelfMetrics(this.registry, opts.runtime);
    this.plugins = new PluginManager({
      dirs: [BUILTIN_PLUGIN_DIR, ...opts.flags.pluginDirs],
      logger: opts.logger.child({ component: "plugins" }),
      dataDir: resolve(opts.flags.tsdbPath),
    });
    this.registry.registerCollector("plugins", () => this.plugins.metrics());
  }

  /** Whether startup completed (what /-/ready reports). */
  get ready(): boolean {
    return this.#ready;
  }

  /** The port the HTTP server is bound to. */
  get port(): number {
    return this.#server?.port ?? 0;
  }

  /** Loads the configuration from --config.file or the embedded default. Throws ConfigError. */
  loadConfig(): Config<Sections> {
    if (this.flags.configFile) return loadConfigFile(this.flags.configFile, this.#parsers);
    const { port } = parseListenAddress(this.flags.listenAddress);
    return parseConfig(defaultConfigYaml(`localhost:${port}`), { parsers: this.#parsers });
  }

  /** Starts everything: config, plugins, storage, HTTP. Throws (before serving) on a bad config. */
  async start(): Promise<void> {
    const cfg = this.loadConfig();
    await this.plugins.scan();
    await this.#apply(cfg);
    const app = buildApp({ registry: this.registry, areas: this.#areas(), corsOrigin: this.flags.corsOrigin });
    this.#server = await serve(this.runtime, app, this.flags.listenAddress);
    this.logger.info("Server is ready to receive web requests.", { address: `${this.#server.hostname}:${this.#server.port}` });
    this.#ready = true;
    this.self.ready.set(1);
  }

  #areas(): Area[] {
    return [
      lifecycleApi({
        enableLifecycle: this.flags.enableLifecycle,
        isReady: () => this.#ready,
        reload: () => this.reload(),
        quit: () => void this.stop(),
      }),
      metricsEndpoint((signal) => this.registry.collect(signal)),
    ];
  }

  async #apply(cfg: Config<Sections>): Promise<void> {
    for (const w of cfg.warnings) this.logger.warn(w);
    await this.plugins.apply(cfg.plugins, cfg.dir);
    this.config = cfg;
    this.self.reloadSuccessful.set(1);
    this.self.reloadSuccessTimestamp.set(Math.floor(Date.now() / 1000));
    this.logger.info("Completed loading of configuration file", { filename: cfg.file ?? "(embedded default)" });
  }

  /**
   * Re-reads the configuration and plugin folders and applies them. On failure the running
   * configuration stays, the reload gauge drops to 0, and the error is rethrown for the caller to report.
   */
  async reload(): Promise<void> {
    this.logger.info("Loading configuration file", { filename: this.flags.configFile || "(embedded default)" });
    let cfg: Config<Sections>;
    try {
      cfg = this.loadConfig();
      await this.plugins.scan();
      await this.#apply(cfg);
    } catch (e) {
      this.self.reloadSuccessful.set(0);
      this.logger.error("Error reloading config", { err: errorMessage(e) });
      throw e;
    }
  }

  /** Graceful shutdown; idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.logger.info("Received shutdown request, stopping");
      this.#ready = false;
      await this.#server?.stop();
      await this.plugins.stop();
      this.logger.info("See you next time!");
    })();
    this.#stopping.then(this.#stoppedResolve, this.#stoppedReject);
    return this.#stopping;
  }

  /** The data directory (absolute). */
  get dataDir(): string {
    return resolve(this.flags.tsdbPath);
  }

  /** A path inside the data directory. */
  dataPath(...parts: string[]): string {
    return join(this.dataDir, ...parts);
  }
}
