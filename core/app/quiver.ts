/**
 * @module core/app/quiver
 * The running server: owns every component, applies configuration to them in dependency order, reloads
 * (a bad config keeps the running one), and shuts down gracefully: stop intake (HTTP, scrapes), then flush
 * and close storage.
 */
import { join, resolve } from "node:path";
import { Registry } from "../../exporters/service/index.ts";
import { federateApi } from "../api/federate.ts";
import { lifecycleApi } from "../api/lifecycle.ts";
import { metricsEndpoint } from "../api/metrics-endpoint.ts";
import { pluginsStatusApi } from "../api/plugins-status.ts";
import { buildApp, serve, parseListenAddress, type Area } from "../api/server.ts";
import { apiV1 } from "../api/v1/index.ts";
import { tlsServerOptions, webConfigSource, withWebConfig } from "../api/web-config.ts";
import type { Flags } from "../config/flags.ts";
import { loadConfigFile, parseConfig, type Config } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";
import { Labels } from "../model/labels.ts";
import { PluginManager } from "../plugin/manager.ts";
import { Engine } from "../promql/engine/engine.ts";
import type { Runtime, Server } from "../runtime/index.ts";
import { ScrapeManager } from "../scrape/manager.ts";
import { DB } from "../tsdb/db.ts";
import { uiRoutes } from "../ui/index.ts";
import { errorMessage } from "../util/errors.ts";
import { numbersToFamilies, tsdbAdmin } from "./adapters.ts";
import { buildInfo, runtimeInfo } from "./status.ts";
import { defaultConfigYaml } from "./default-config.ts";
import { discovererRegistry, type DiscovererRegistry } from "./discoverers.ts";
import { applyAlerting, createAlerting, type AlertingParts } from "./alerting.ts";
import { alertmanagerApi } from "../alerting/api.ts";
import { otlpApi } from "../api/remote/otlp.ts";
import { pushgatewayApi } from "../api/remote/pushgateway.ts";
import { remoteReadApi } from "../api/remote/read.ts";
import { remoteWriteApi } from "../api/remote/write.ts";
import { PushStore } from "../push/store.ts";
import { metadataFromTargets } from "../remote/metadata.ts";
import { RemoteStorage } from "../remote/storage.ts";
import { allScrapeConfigs, sectionParsers, type Sections } from "./sections.ts";
import { registerSelfMetrics, type SelfMetrics } from "./self-metrics.ts";

/** The installation's own plugins folder. */
export const BUILTIN_PLUGIN_DIR = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", "..", "plugins");

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
  readonly startedAt = Date.now();
  config: Config<Sections> | undefined;
  db: DB | undefined;
  engine: Engine | undefined;
  scrape: ScrapeManager | undefined;
  alerting: AlertingParts | undefined;
  remote: RemoteStorage | undefined;
  push: PushStore | undefined;
  #server: Server | undefined;
  #ready = false;
  #lastReload = 0;
  /** Whether the last configuration (re)load succeeded. */
  reloadOk = true;
  #stopping: Promise<void> | undefined;
  #stoppedResolve!: () => void;
  #stoppedReject!: (e: unknown) => void;
  /** Settles when a shutdown (signal, /-/quit, or stop()) has finished. */
  readonly stopped: Promise<void> = new Promise((res, rej) => {
    this.#stoppedResolve = res;
    this.#stoppedReject = rej;
  });
  #discoverers!: DiscovererRegistry;
  readonly #parsers = sectionParsers(() => ({ sdPluginNames: new Set(this.plugins.definitions("discoverer").keys()) }));

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
    this.registry.registerCollector("tsdb", () => (this.db ? numbersToFamilies(this.db.metrics(), "TSDB self-metric") : []));
    this.registry.registerCollector("scrape", () => this.scrape?.metrics.collect() ?? []);
    this.registry.registerCollector("remote", () => this.remote?.metrics() ?? []);
  }

  /** Whether startup completed (what /-/ready reports). */
  get ready(): boolean {
    return this.#ready;
  }

  /** The port the HTTP server is bound to. */
  get port(): number {
    return this.#server?.port ?? 0;
  }

  /** The data directory (absolute). */
  get dataDir(): string {
    return resolve(this.flags.tsdbPath);
  }

  /** Loads the configuration from --config.file or the embedded default. Throws ConfigError. */
  loadConfig(): Config<Sections> {
    if (this.flags.configFile) return loadConfigFile(this.flags.configFile, this.#parsers);
    const { port } = parseListenAddress(this.flags.listenAddress);
    return parseConfig(defaultConfigYaml(`localhost:${port === 0 ? 9090 : port}`), { parsers: this.#parsers });
  }

  /** Starts everything: plugins, config, storage, HTTP, then scraping. Throws (before serving) on a bad config. */
  async start(): Promise<void> {
    await this.plugins.scan();
    this.#discoverers = discovererRegistry(this.plugins, () => this.config?.dir ?? process.cwd());
    const cfg = this.loadConfig();
    allScrapeConfigs(cfg);
    const f = this.flags;
    this.db = await DB.open(this.dataDir, {
      retentionTime: f.retentionTime,
      retentionSize: f.retentionSize,
      minBlockDuration: f.minBlockDuration,
      maxBlockDuration: f.maxBlockDuration || undefined,
      outOfOrderTimeWindow: cfg.storage.outOfOrderTimeWindow,
      noLockfile: f.noLockfile,
    }, this.logger.child({ component: "tsdb" }));
    this.engine = new Engine({
      timeoutMs: f.queryTimeout,
      maxSamples: f.queryMaxSamples,
      lookbackDeltaMs: f.lookbackDelta,
      maxConcurrency: f.queryMaxConcurrency,
      enableExperimentalFunctions: f.features.includes("promql-experimental-functions"),
      defaultEvaluationIntervalMs: cfg.global.evaluationInterval,
    });
    this.scrape = new ScrapeManager({
      appendable: this.db,
      logger: this.logger.child({ component: "scrape manager" }),
      inProcess: (id) => this.plugins.collector(id),
      discoverers: this.#discoverers.factories,
      configDir: cfg.dir,
      extraScrapeMetrics: f.features.includes("extra-scrape-metrics"),
    });
    const externalLabels = () => Labels.from(this.config?.global.externalLabels ?? {});
    this.remote = new RemoteStorage({
      dataDir: this.dataDir,
      logger: this.logger.child({ component: "remote" }),
      externalLabels,
      local: this.db,
      metadata: metadataFromTargets(this.scrape),
      flushDeadline: f.remoteFlushDeadline,
    });
    this.push = new PushStore({ file: join(this.dataDir, "pushgateway.json"), logger: this.logger.child({ component: "pushgateway" }) });
    const web = f.webConfigFile ? webConfigSource(f.webConfigFile) : undefined;
    const tls = web ? tlsServerOptions(web.get()) : undefined;
    // Listen first (the bound port feeds the default external URL), answer 503 until the app is built.
    let app: Area | undefined;
    this.#server = await serve(this.runtime, async (req) => app ? app.handle(req) as Promise<Response> : new Response("Service Unavailable", { status: 503 }), f.listenAddress, {
      tls,
      wrap: web && ((h) => withWebConfig(web, h)),
    });
    this.alerting = createAlerting({
      flags: f, port: this.#server.port, engine: this.engine, db: this.db, queryable: this.remote.queryable(), plugins: this.plugins,
      registry: this.registry, logger: this.logger, dataDir: this.dataDir,
    });
    app = buildApp({ registry: this.registry, areas: this.#areas() });
    await this.#apply(cfg);
    this.alerting.rules.start();
    this.alerting.notifier.start();
    this.logger.info("Server is ready to receive web requests.", { address: `${this.#server.hostname}:${this.#server.port}` });
    this.#ready = true;
    this.self.ready.set(1);
  }

  #areas(): Area[] {
    const f = this.flags;
    const routePrefix = (f.routePrefix || (f.externalUrl ? new URL(f.externalUrl).pathname : "")).replace(/\/+$/, "");
    const isReady = () => this.#ready;
    const db = this.db!;
    const queryable = this.remote!.queryable();
    const externalLabels = () => Labels.from(this.config?.global.externalLabels ?? {});
    const logger = this.logger.child({ component: "web" });
    return [
      lifecycleApi({ enableLifecycle: f.enableLifecycle, isReady, reload: () => this.reload(), quit: () => void this.stop() }),
      metricsEndpoint((signal) => this.registry.collect(signal)),
      pluginsStatusApi(() => this.plugins.status(), routePrefix),
      apiV1({
        queryable,
        engine: this.engine,
        targets: this.scrape,
        rules: { ruleGroups: () => this.alerting?.rules.ruleGroups() ?? [] },
        alertmanagers: this.alerting!.notifier,
        tsdb: tsdbAdmin(db),
        enableAdminApi: f.enableAdminApi,
        corsOrigin: f.corsOrigin,
        dataDir: this.dataDir,
        routePrefix,
        isReady,
        globalUrl: globalUrl(f),
        status: {
          configYaml: () => this.config?.text ?? "",
          flags: () => f.raw,
          runtimeInfo: () => runtimeInfo(this),
          buildInfo: () => buildInfo(this.runtime),
        },
      }),
      remoteWriteApi({ appendable: db, enabled: f.enableRemoteWriteReceiver, logger, routePrefix, isReady }),
      remoteReadApi({ queryable: db, externalLabels, sampleLimit: f.remoteReadSampleLimit, routePrefix, isReady }),
      otlpApi({ appendable: db, enabled: f.enableOtlpReceiver, logger, routePrefix }),
      pushgatewayApi({ store: this.push!, logger, routePrefix, enableAdminApi: f.enableAdminApi }),
      federateApi({
        queryable: db,
        externalLabels,
        lookbackDelta: f.lookbackDelta,
        routePrefix,
        isReady,
      }),
      alertmanagerApi(this.alerting!.alertmanager),
      uiRoutes({ routePrefix, externalUrl: f.externalUrl, pageTitle: f.pageTitle }),
    ];
  }

  async #apply(cfg: Config<Sections>): Promise<void> {
    for (const w of cfg.warnings) this.logger.warn(w);
    const scrapeConfigs = allScrapeConfigs(cfg);
    if (this.alerting) await applyAlerting(this.alerting, cfg, this.flags, this.port);
    this.db?.applyConfig({ outOfOrderTimeWindow: cfg.storage.outOfOrderTimeWindow });
    await this.plugins.apply(cfg.plugins, cfg.dir);
    await this.scrape?.applyConfig(scrapeConfigs);
    this.config = cfg; // remote storage reads external labels from the current config
    await this.remote?.applyConfig(cfg.sections.remote_write, cfg.sections.remote_read);
    this.#lastReload = Date.now();
    this.reloadOk = true;
    this.self.reloadSuccessful.set(1);
    this.self.reloadSuccessTimestamp.set(Math.floor(this.#lastReload / 1000));
    this.logger.info("Completed loading of configuration file", { filename: cfg.file ?? "(embedded default)" });
  }

  /** When the configuration was last applied (ms since the epoch). */
  get lastReload(): number {
    return this.#lastReload;
  }

  /**
   * Re-reads the plugin folders and the configuration and applies them. On failure the running
   * configuration stays, the reload gauge drops to 0, and the error is rethrown for the caller to report.
   */
  async reload(): Promise<void> {
    this.logger.info("Loading configuration file", { filename: this.flags.configFile || "(embedded default)" });
    try {
      await this.plugins.scan();
      this.#discoverers.refresh();
      const cfg = this.loadConfig();
      await this.#apply(cfg);
    } catch (e) {
      this.reloadOk = false;
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
      this.self.ready.set(0);
      await this.scrape?.stop();
      await this.alerting?.rules.stop();
      await this.remote?.stop();
      await this.#server?.stop();
      await this.alerting?.notifier.stop();
      await this.alerting?.alertmanager.stop();
      await this.plugins.stop();
      await this.db?.close();
      this.logger.info("See you next time!");
    })();
    this.#stopping.then(this.#stoppedResolve, this.#stoppedReject);
    return this.#stopping;
  }

  /** A path inside the data directory. */
  dataPath(...parts: string[]): string {
    return join(this.dataDir, ...parts);
  }
}

function globalUrl(f: Flags): { listenAddress: string; host: string; scheme: string } {
  if (f.externalUrl) {
    const u = new URL(f.externalUrl);
    return { listenAddress: f.listenAddress, host: u.host, scheme: u.protocol.replace(":", "") };
  }
  return { listenAddress: f.listenAddress, host: "", scheme: "http" };
}
