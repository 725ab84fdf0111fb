/**
 * @module core/alerting/manager
 * Quiver's Alertmanager: the alert store, dispatcher, inhibitor, silences and notification log wired
 * to notification channels, which are notifier plugins (`<name>_configs` → plugin `<name>`) passed in as a
 * map, so core never imports plugins/. Quiver's own rules call {@link AlertingManager.notify} in-process;
 * the API v2 (api.ts) calls the same code for alerts from real Prometheus servers.
 *
 * HA: two Quiver or Prometheus replicas that send the same alert (same labels: drop the replica label with
 * alert_relabel_configs on the sending side) produce one fingerprint, so the store merges them and one
 * notification goes out. Two Quiver replicas each running this Alertmanager coordinate as an
 * Alertmanager cluster does, over HTTP (cluster.ts, `cluster` option): shared nflog and silences, and
 * each replica waits its position × peer_timeout before a send, then dedups against the merged log.
 *
 * Persistence (with `dataDir`): `silences.json` and `nflog.json`, written atomically on change.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import type { Alert } from "../model/alert.ts";
import { fingerprint } from "../model/fingerprint.ts";
import type { NotifierInstance, PluginDefinition } from "../plugin/types.ts";
import { RunningPlugin } from "../plugin/running.ts";
import type { Logger } from "../log/logger.ts";
import { nopLogger } from "../log/logger.ts";
import { Gauge, type Registry } from "../../exporters/service/index.ts";
import { expandGlob } from "../config/glob.ts";
import { SYSTEM_CLOCK, type Clock } from "../rules/types.ts";
import { BadDataError, ConfigError, errorMessage } from "../util/errors.ts";
import { AlertStore, isResolved, type StoredAlert } from "./alerts.ts";
import { parseAlertmanagerConfig, type AlertmanagerConfig } from "./config.ts";
import { Dispatcher, type AggrGroup } from "./dispatch.ts";
import { Inhibitor } from "./inhibit.ts";
import { Cluster, type ClusterOptions } from "./cluster.ts";
import { AlertmanagerMetrics } from "./metrics.ts";
import { NotificationLog } from "./nflog.ts";
import { buildMessage, DEFAULT_RETRY, notifyIntegration, type Integration, type NotifyDeps, type RetryOptions } from "./notify.ts";
import { buildRoute, matchRoutes, type Route } from "./route.ts";
import { Silences } from "./silences.ts";
import { createTemplateExpander, renderRouteLabels, type NotifierContext, type TemplateExpander } from "./template-data.ts";
import { timeIntervalContains } from "./time-intervals.ts";

/** Garbage-collection period of alerts, silences and the log, ms (Alertmanager: 30m for alerts). */
export const GC_INTERVAL_MS = 30 * 60_000;
/** How long resolved alerts stay in the store before GC, ms. */
export const RESOLVED_ALERT_RETENTION_MS = 15 * 60_000;

/** Options of {@link AlertingManager}. */
export interface AlertingManagerOptions {
  /** Notifier plugins by name (`webhook` serves `webhook_configs`). */
  notifiers: ReadonlyMap<string, PluginDefinition<"notifier", any>>;
  /** URL the Alertmanager is reachable at (--web.external-url); shown in notifications. */
  externalURL: string;
  clock?: Clock;
  logger?: Logger;
  registry?: Registry;
  /** Directory for silences.json and nflog.json (no persistence when absent). */
  dataDir?: string;
  retry?: Partial<RetryOptions>;
  /** HA peers (--cluster.*); absent: a single Alertmanager. */
  cluster?: ClusterOptions;
}

/** The in-process Alertmanager. */
export class AlertingManager {
  readonly store: AlertStore;
  readonly silences: Silences;
  readonly nflog: NotificationLog;
  readonly metrics: AlertmanagerMetrics;
  readonly clock: Clock;
  readonly startedAt: number;
  /** HA peer coordination (null without the `cluster` option). */
  readonly cluster: Cluster | null;
  private readonly logger: Logger;
  private config: AlertmanagerConfig | null = null;
  private route: Route | null = null;
  private inhibitor: Inhibitor = new Inhibitor([], () => [], () => 0);
  private integrations = new Map<string, Integration[]>();
  private dispatcher: Dispatcher | null = null;
  private templates: TemplateExpander = createTemplateExpander();
  private gcCancel: (() => void) | null = null;

  constructor(readonly opts: AlertingManagerOptions) {
    this.clock = opts.clock ?? SYSTEM_CLOCK;
    this.logger = (opts.logger ?? nopLogger).child({ component: "alertmanager" });
    this.metrics = new AlertmanagerMetrics(opts.registry);
    const now = () => this.clock.now();
    this.store = new AlertStore(now);
    this.silences = new Silences({ now, file: opts.dataDir ? join(opts.dataDir, "silences.json") : undefined });
    this.nflog = new NotificationLog({ now, file: opts.dataDir ? join(opts.dataDir, "nflog.json") : undefined });
    this.startedAt = this.clock.now();
    this.cluster = opts.cluster
      ? new Cluster(opts.cluster, { clock: this.clock, logger: this.logger.child({ component: "cluster" }), nflog: this.nflog, silences: this.silences, registry: opts.registry })
      : null;
    const self = this;
    new Gauge({
      name: "alertmanager_alerts", help: "How many alerts by state.", labelNames: ["state"], registers: opts.registry ? [opts.registry] : [],
      collect(this: Gauge<"state">) {
        let active = 0, suppressed = 0;
        const now = self.clock.now();
        for (const a of self.store.list()) {
          if (isResolved(a, now)) continue;
          if (self.silences.mutes(a.labels).length || self.inhibitedBy(a).length) suppressed++;
          else active++;
        }
        this.set({ state: "active" }, active);
        this.set({ state: "suppressed" }, suppressed);
        self.metrics.aggrGroups.set(self.aggrGroups().length);
      },
    });
    new Gauge({
      name: "alertmanager_silences", help: "How many silences by state.", labelNames: ["state"], registers: opts.registry ? [opts.registry] : [],
      collect(this: Gauge<"state">) {
        const n = { active: 0, pending: 0, expired: 0 };
        for (const s of self.silences.list()) n[self.silences.state(s)]++;
        for (const [k, v] of Object.entries(n)) this.set({ state: k }, v);
      },
    });
  }

  /** Loads --alertmanager.config.file and applies it. Throws ConfigError; the running config stays. */
  async loadConfigFile(path: string): Promise<void> {
    try {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch (e) {
        throw new ConfigError(`${path}: ${errorMessage(e)}`, path);
      }
      const cfg = parseAlertmanagerConfig(text, { file: path, integrations: this.opts.notifiers.keys() });
      const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".";
      await this.applyConfig(cfg, dir);
      this.metrics.configLastReloadSuccess.set(1);
      this.metrics.configLastReloadSuccessTime.set(this.clock.now() / 1000);
      this.metrics.configHash.set(Number.parseInt(createHash("sha256").update(text).digest("hex").slice(0, 12), 16));
    } catch (e) {
      this.metrics.configLastReloadSuccess.set(0);
      throw e;
    }
  }

  /**
   * Applies a parsed config: creates channel instances (plugins validate their settings; errors name the
   * receiver), loads templates, and restarts the dispatcher with the existing alerts.
   */
  async applyConfig(cfg: AlertmanagerConfig, configDir = "."): Promise<void> {
    let templates: TemplateExpander;
    try {
      const files = cfg.templates.flatMap((p) => expandGlob(p, configDir));
      templates = createTemplateExpander(files);
    } catch (e) {
      throw new ConfigError(`templates: ${errorMessage(e)}`);
    }
    const integrations = new Map<string, Integration[]>();
    for (const r of cfg.receivers) {
      const list: Integration[] = [];
      for (const ic of r.integrations) {
        const def = this.opts.notifiers.get(ic.integration);
        let runner: RunningPlugin<NotifierInstance> | null = null;
        if (def) {
          const id = `${r.name}/${ic.integration}[${ic.index}]`;
          const logger = this.logger.child({ receiver: r.name, integration: `${ic.integration}[${ic.index}]` });
          const ctx: NotifierContext = {
            config: ic.settings, logger, dataDir: join(this.opts.dataDir ?? ".", "notifiers", r.name), configDir, templates, receiver: r.name,
          };
          runner = new RunningPlugin<NotifierInstance>({
            id, plugin: def.name, kind: "notifier", version: def.version, logger, timeoutMs: DEFAULT_RETRY.sendTimeoutMs,
            create: () => def.create(ctx),
          });
          try {
            await runner.start();
          } catch (e) {
            for (const l of integrations.values()) for (const i of l) await i.runner?.stop();
            for (const i of list) await i.runner?.stop();
            throw new ConfigError(`receivers: ${r.name}: ${ic.integration}_configs[${ic.index}]: ${errorMessage(e)}`);
          }
        } else {
          this.logger.warn("No notifier plugin installed for integration; notifications to it will fail", { receiver: r.name, integration: ic.integration });
        }
        this.metrics.initIntegration(ic.integration);
        list.push({ cfg: ic, receiver: r.name, runner });
      }
      integrations.set(r.name, list);
    }
    const old = this.integrations;
    this.dispatcher?.stop();
    for (const l of old.values()) for (const i of l) await i.runner?.stop();
    this.config = cfg;
    this.templates = templates;
    this.integrations = integrations;
    this.route = buildRoute(cfg.route);
    this.inhibitor = new Inhibitor(cfg.inhibitRules, () => this.store.list(), () => this.clock.now());
    this.dispatcher = new Dispatcher(this.route, this.store, this.clock, (g, a) => this.flush(g, a), this.logger);
    this.dispatcher.start();
    this.cluster?.start();
    this.scheduleGC();
  }

  private scheduleGC(): void {
    this.gcCancel?.();
    this.gcCancel = this.clock.setTimer(() => {
      this.store.gc(this.clock.now() - RESOLVED_ALERT_RETENTION_MS);
      this.silences.gc();
      this.nflog.gc();
      this.scheduleGC();
    }, GC_INTERVAL_MS);
  }

  /** The current config (null before the first apply). */
  get currentConfig(): AlertmanagerConfig | null {
    return this.config;
  }

  /** The expander of the current templates. */
  get templateExpander(): TemplateExpander {
    return this.templates;
  }

  /**
   * Accepts alerts (API v2 POST and in-process from rules): fills startsAt (now) and endsAt
   * (now + resolve_timeout) when absent, validates, and stores. Throws BadDataError listing invalid alerts
   * (valid ones are still stored, as Alertmanager does).
   */
  receive(alerts: ReadonlyArray<Partial<Alert> & { labels: Record<string, string> }>): void {
    const now = this.clock.now();
    const resolveTimeout = this.config?.global.resolveTimeoutMs ?? 300_000;
    const errs: string[] = [];
    const ok: StoredAlert[] = [];
    for (const a of alerts) {
      const labels = Object.fromEntries(Object.entries(a.labels ?? {}).filter(([, v]) => v !== ""));
      const startsAt = a.startsAt || now;
      const timeout = !a.endsAt;
      const endsAt = a.endsAt || now + resolveTimeout;
      const err = Object.keys(labels).length === 0 ? "at least one label pair required"
        : Object.keys(labels).find((k) => !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) !== undefined ? `invalid label set: invalid name "${Object.keys(labels).find((k) => !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k))}"`
        : endsAt < startsAt ? "start time must be before end time" : "";
      if (err) {
        errs.push(err);
        this.metrics.alertsInvalid.inc();
        continue;
      }
      const s: StoredAlert = {
        labels, annotations: a.annotations ?? {}, startsAt, endsAt, generatorURL: a.generatorURL ?? "",
        fingerprint: fingerprint(labels), updatedAt: now, timeout,
      };
      this.metrics.alertsReceived.inc({ status: isResolved(s, now) ? "resolved" : "firing" });
      ok.push(s);
    }
    this.store.put(...ok);
    if (errs.length) throw new BadDataError(errs.join("; "));
  }

  /** In-process entry point for Quiver's rule manager (never throws; invalid alerts are logged). */
  notify(alerts: Alert[]): void {
    try {
      this.receive(alerts);
    } catch (e) {
      this.logger.warn("Invalid alerts from rules", { err: errorMessage(e) });
    }
  }

  private async flush(g: AggrGroup, alerts: StoredAlert[]): Promise<boolean> {
    const cfg = g.route.cfg;
    // Wait stage (position × peer_timeout) and fresh peer state, before silencing and dedup.
    await this.cluster?.settle();
    const now = this.clock.now();
    const ti = this.config!.timeIntervals;
    if (cfg.muteTimeIntervals.some((n) => timeIntervalContains(ti.get(n) ?? [], now))) return true;
    if (cfg.activeTimeIntervals.length && !cfg.activeTimeIntervals.some((n) => timeIntervalContains(ti.get(n) ?? [], now))) return true;
    const unmuted = alerts.filter((a) => this.inhibitor.inhibitedBy(a.labels, a.fingerprint).length === 0 && this.silences.mutes(a.labels).length === 0);
    const deps: NotifyDeps = {
      clock: this.clock, logger: this.logger, metrics: this.metrics, nflog: this.nflog,
      retry: { ...DEFAULT_RETRY, ...this.opts.retry }, externalURL: this.opts.externalURL.replace(/\/$/, ""),
    };
    const deadline = now + cfg.groupIntervalMs;
    if (g.routeLabels === undefined && Object.keys(cfg.labels).length) {
      const base = buildMessage(cfg.receiver, g.key, g.labels, alerts, now, deps.externalURL);
      g.routeLabels = await renderRouteLabels(cfg.labels, base, this.templates);
    }
    const list = this.integrations.get(cfg.receiver) ?? [];
    const results = await Promise.all(list.map((i) => notifyIntegration(i, g.key, g.labels, unmuted, cfg.repeatIntervalMs, deadline, deps, g.routeLabels)));
    return results.every(Boolean);
  }

  /** Receivers an alert is routed to (for the API). */
  receiversFor(labels: Record<string, string>): string[] {
    if (!this.route) return [];
    return [...new Set(matchRoutes(this.route, labels).map((r) => r.cfg.receiver))];
  }

  /** Fingerprints of alerts inhibiting one. */
  inhibitedBy(a: StoredAlert): string[] {
    return this.inhibitor.inhibitedBy(a.labels, a.fingerprint);
  }

  /** The dispatcher's aggregation groups. */
  aggrGroups(): AggrGroup[] {
    return this.dispatcher ? [...this.dispatcher.groups.values()] : [];
  }

  /** The running channel instances (for /api/v1/status/plugins and plugin metrics). */
  runningPlugins(): RunningPlugin<NotifierInstance>[] {
    return [...this.integrations.values()].flat().flatMap((i) => (i.runner ? [i.runner] : []));
  }

  /** Waits until no flush is running (tests). */
  async idle(): Promise<void> {
    await this.dispatcher?.idle();
  }

  /** Stops timers and channel instances. */
  async stop(): Promise<void> {
    this.gcCancel?.();
    this.cluster?.stop();
    this.dispatcher?.stop();
    for (const l of this.integrations.values()) for (const i of l) await i.runner?.stop();
  }
}
