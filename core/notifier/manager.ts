/**
 * @module core/notifier/manager
 * Sends alerts to external Alertmanagers as Prometheus's notifier does: external labels are added
 * (without overriding), `alert_relabel_configs` applied (drop the HA replica label here so replicas'
 * alerts deduplicate in Alertmanager), alerts queued in a bounded queue (the oldest are dropped when full
 * and counted in prometheus_notifications_dropped_total), and sent in batches of at most 64 to every
 * discovered Alertmanager in parallel (POST <scheme>://<address><path_prefix>/api/v2/alerts, with the
 * set's timeout). A batch that no Alertmanager accepted counts as dropped.
 *
 * Alertmanagers come from service discovery (core/discovery) and go through `relabel_configs` with the
 * labels `__address__`, `__scheme__` and `__alerts_path__`, as in Prometheus.
 */
import type { Alert } from "../model/alert.ts";
import { Labels } from "../model/labels.ts";
import { DiscoveryManager, httpRequestInit, type TargetGroup } from "../discovery/index.ts";
import type { Logger } from "../log/logger.ts";
import { nopLogger } from "../log/logger.ts";
import { process as relabel } from "../relabel/index.ts";
import type { Registry } from "../../exporters/service/index.ts";
import { errorMessage } from "../util/errors.ts";
import type { AlertingConfig, AlertmanagerSetConfig } from "./config.ts";
import { NotifierMetrics } from "./metrics.ts";

/** Default --alertmanager.notification-queue-capacity. */
export const DEFAULT_QUEUE_CAPACITY = 10_000;
/** Prometheus's maxBatchSize. */
export const MAX_BATCH_SIZE = 64;

/** Options of {@link NotifierManager}. */
export interface NotifierManagerOptions {
  logger?: Logger;
  registry?: Registry;
  queueCapacity?: number;
  externalLabels?: Record<string, string>;
  /** Directory relative file_sd paths and secret files resolve against. */
  configDir?: string;
  /** Discovery update throttle, ms (tests use 0). */
  discoveryUpdateIntervalMs?: number;
  /** User-Agent header. */
  userAgent?: string;
}

interface AmSet {
  cfg: AlertmanagerSetConfig;
  urls: string[];
  dropped: string[];
}

function toJSON(a: Alert) {
  return {
    annotations: a.annotations,
    endsAt: a.endsAt ? new Date(a.endsAt).toISOString() : undefined,
    startsAt: new Date(a.startsAt).toISOString(),
    generatorURL: a.generatorURL,
    labels: a.labels,
  };
}

/** The sender. Call applyConfig, then run; send() never blocks. */
export class NotifierManager {
  readonly metrics: NotifierMetrics;
  private readonly logger: Logger;
  private readonly capacity: number;
  private queue: Alert[] = [];
  private cfg: AlertingConfig = { alert_relabel_configs: [], alertmanagers: [] };
  private sets: AmSet[] = [];
  private discovery: DiscoveryManager;
  private externalLabels: Record<string, string>;
  private wake: (() => void) | null = null;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly opts: NotifierManagerOptions = {}) {
    this.logger = (opts.logger ?? nopLogger).child({ component: "notifier" });
    this.metrics = new NotifierMetrics(opts.registry);
    this.capacity = opts.queueCapacity ?? DEFAULT_QUEUE_CAPACITY;
    this.metrics.queueCapacity.set(this.capacity);
    this.externalLabels = opts.externalLabels ?? {};
    this.discovery = new DiscoveryManager({ logger: this.logger, configDir: opts.configDir, updateIntervalMs: opts.discoveryUpdateIntervalMs });
    this.discovery.subscribe((sets) => this.onTargets(sets));
  }

  /** Applies the `alerting` section (and new external labels). */
  async applyConfig(cfg: AlertingConfig, externalLabels?: Record<string, string>): Promise<void> {
    this.cfg = cfg;
    if (externalLabels) this.externalLabels = externalLabels;
    this.sets = cfg.alertmanagers.map((c) => ({ cfg: c, urls: [], dropped: [] }));
    await this.discovery.applyConfig(new Map(cfg.alertmanagers.map((c, i) => [`config-${i}`, c.discovery])));
  }

  private onTargets(sets: Map<string, TargetGroup[]>): void {
    let n = 0;
    this.sets.forEach((s, i) => {
      const groups = sets.get(`config-${i}`) ?? [];
      const urls: string[] = [], dropped: string[] = [];
      for (const g of groups) {
        for (const t of g.targets) {
          const base: Record<string, string> = { ...g.labels, ...t, __scheme__: s.cfg.scheme, __alerts_path__: `${s.cfg.path_prefix}/api/v2/alerts` };
          const ls = relabel(Labels.from(base), s.cfg.relabel_configs);
          const url = (l: Labels) => `${l.get("__scheme__")}://${l.get("__address__")}${l.get("__alerts_path__")}`;
          if (!ls) {
            dropped.push(url(Labels.from(base)));
            continue;
          }
          if (!ls.get("__address__")) continue;
          urls.push(url(ls));
        }
      }
      s.urls = [...new Set(urls)];
      s.dropped = dropped;
      n += s.urls.length;
    });
    this.metrics.discovered.set(n);
  }

  /** URLs of the active Alertmanagers (for /api/v1/alertmanagers). */
  alertmanagers(): string[] {
    return this.sets.flatMap((s) => s.urls);
  }

  /** URLs dropped by relabeling. */
  droppedAlertmanagers(): string[] {
    return this.sets.flatMap((s) => s.dropped);
  }

  /** Queues alerts for sending (external labels, alert_relabel_configs). Never blocks. */
  send(alerts: Alert[]): void {
    const out: Alert[] = [];
    for (const a of alerts) {
      const labels = { ...a.labels };
      for (const [k, v] of Object.entries(this.externalLabels)) if (!labels[k]) labels[k] = v;
      const ls = relabel(Labels.from(labels), this.cfg.alert_relabel_configs);
      if (!ls) continue;
      out.push({ ...a, labels: ls.toObject() });
    }
    let batch = out;
    if (batch.length > this.capacity) {
      const d = batch.length - this.capacity;
      batch = batch.slice(d);
      this.logger.warn("Alert batch larger than queue capacity, dropping alerts", { num_dropped: d });
      this.metrics.dropped.inc(d);
    }
    const over = this.queue.length + batch.length - this.capacity;
    if (over > 0) {
      this.queue = this.queue.slice(over);
      this.logger.warn("Alert notification queue full, dropping alerts", { num_dropped: over });
      this.metrics.dropped.inc(over);
    }
    this.queue.push(...batch);
    this.metrics.queueLength.set(this.queue.length);
    this.wake?.();
  }

  /** Number of queued alerts. */
  get queueLength(): number {
    return this.queue.length;
  }

  /** Starts the send loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.queue.length === 0) {
        await new Promise<void>((r) => (this.wake = r));
        this.wake = null;
        continue;
      }
      await this.sendOne();
    }
  }

  /** Sends one batch from the queue now; returns whether any Alertmanager accepted it. */
  async sendOne(): Promise<boolean> {
    const batch = this.queue.splice(0, MAX_BATCH_SIZE);
    this.metrics.queueLength.set(this.queue.length);
    if (batch.length === 0) return true;
    const results = await Promise.all(this.sets.map((s) => {
      const alerts = s.cfg.alert_relabel_configs.length
        ? batch.flatMap((a) => {
          const ls = relabel(Labels.from(a.labels), s.cfg.alert_relabel_configs);
          return ls ? [{ ...a, labels: ls.toObject() }] : [];
        })
        : batch;
      if (alerts.length === 0) return Promise.resolve([true]);
      const body = JSON.stringify(alerts.map(toJSON));
      return Promise.all(s.urls.map((u) => this.post(s.cfg, u, body, alerts.length)));
    }));
    const ok = results.flat().some(Boolean);
    if (!ok) this.metrics.dropped.inc(batch.length);
    return ok;
  }

  private async post(cfg: AlertmanagerSetConfig, url: string, body: string, n: number): Promise<boolean> {
    const t0 = performance.now();
    try {
      const init = httpRequestInit(cfg, this.opts.configDir ?? ".");
      const res = await fetch(url, {
        method: "POST", body, redirect: init.redirect, signal: AbortSignal.timeout(cfg.timeout),
        headers: { "Content-Type": "application/json", "User-Agent": this.opts.userAgent ?? "Quiver", ...init.headers },
        ...init.extra,
      });
      await res.arrayBuffer().catch(() => undefined);
      if (Math.floor(res.status / 100) !== 2) throw new Error(`bad response status ${res.status} ${res.statusText}`);
      this.metrics.sent.inc({ alertmanager: url }, n);
      return true;
    } catch (e) {
      this.logger.error("Error sending alerts", { alertmanager: url, count: n, err: errorMessage(e) });
      this.metrics.errors.inc({ alertmanager: url }, n);
      this.metrics.sent.inc({ alertmanager: url }, n);
      return false;
    } finally {
      this.metrics.latency.observe({ alertmanager: url }, (performance.now() - t0) / 1000);
    }
  }

  /** Stops the loop and discovery; queued alerts are dropped. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.discovery.stop();
  }
}
