/**
 * @module core/app/alerting
 * Builds and reconfigures the alerting side: the rule manager (queries through the PromQL engine), the
 * in-process Alertmanager (notification channels as plugins) and the sender to external Alertmanagers.
 * Rules hand each alert to both: the built-in Alertmanager and whatever `alerting.alertmanagers` lists.
 * The global `alerting.alert_relabel_configs` apply to both (so HA replicas that drop their replica label
 * produce one fingerprint); --cluster.* flags make replicas' built-in Alertmanagers one HA cluster.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import type { Registry } from "../../exporters/service/index.ts";
import { AlertingManager, parseAlertmanagerConfig } from "../alerting/index.ts";
import { Labels } from "../model/labels.ts";
import type { Alert } from "../model/alert.ts";
import { process as relabel, type RelabelConfig } from "../relabel/index.ts";
import type { Flags } from "../config/flags.ts";
import type { Config } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";
import type { NotifierManager as NotifierManagerT } from "../notifier/manager.ts";
import { NotifierManager } from "../notifier/manager.ts";
import type { PluginManager } from "../plugin/manager.ts";
import type { Engine } from "../promql/engine/engine.ts";
import { formatExpr, parseExpr } from "../promql/parser/index.ts";
import { engineQueryFunc } from "../rules/engine-query.ts";
import { RuleManager } from "../rules/manager.ts";
import type { DB } from "../tsdb/db.ts";
import type { Queryable } from "../storage/interface.ts";
import type { Sections } from "./sections.ts";

/** The built-in Alertmanager's configuration when --alertmanager.config.file is not given: keep, never send. */
const DEFAULT_AM_CONFIG = "route:\n  receiver: default\nreceivers:\n  - name: default\n";

/** The alerting components of a running server. */
export interface AlertingParts {
  rules: RuleManager;
  alertmanager: AlertingManager;
  notifier: NotifierManagerT;
  /** The global alert_relabel_configs, applied to alerts for the built-in Alertmanager (set by applyAlerting). */
  alertRelabel: { configs: RelabelConfig[] };
}

/** The URL Quiver is reachable under: --web.external-url, or http://<hostname>:<port>/ as Prometheus defaults. */
export function externalUrl(f: Flags, port: number): string {
  return f.externalUrl || `http://${hostname()}:${port}/`;
}

/** Creates the alerting components (not started). */
export function createAlerting(o: {
  flags: Flags;
  port: number;
  engine: Engine;
  db: DB;
  /** What rules query: the local store merged with remote_read endpoints. */
  queryable: Queryable;
  plugins: PluginManager;
  registry: Registry;
  logger: Logger;
  dataDir: string;
}): AlertingParts {
  const url = externalUrl(o.flags, o.port);
  const alertRelabel: { configs: RelabelConfig[] } = { configs: [] };
  const alertmanager = new AlertingManager({
    notifiers: o.plugins.definitions("notifier"),
    externalURL: url,
    logger: o.logger.child({ component: "alertmanager" }),
    registry: o.registry,
    dataDir: join(o.dataDir, "alertmanager"),
    cluster: o.flags.clusterPeers.length
      ? { advertiseAddress: o.flags.clusterAdvertiseAddress || url, peers: o.flags.clusterPeers, peerTimeoutMs: o.flags.clusterPeerTimeout }
      : undefined,
  });
  const notifier = new NotifierManager({
    logger: o.logger.child({ component: "notifier" }),
    registry: o.registry,
    queueCapacity: o.flags.notificationQueueCapacity,
  });
  const rules = new RuleManager({
    queryFunc: engineQueryFunc(o.engine, o.queryable),
    appendable: o.db,
    queryable: o.db,
    notify: (alerts) => {
      alertmanager.notify(relabelAlerts(alerts, alertRelabel.configs));
      notifier.send(alerts);
    },
    logger: o.logger,
    registry: o.registry,
    externalURL: url,
    checkExpr: (q) => formatExpr(parseExpr(q)),
    resendDelayMs: o.flags.resendDelay,
    outageToleranceMs: o.flags.forOutageTolerance,
    forGracePeriodMs: o.flags.forGracePeriod,
    stateFile: join(o.dataDir, "rules", "alert-state.json"),
  });
  return { rules, alertmanager, notifier, alertRelabel };
}

/** Applies alert_relabel_configs (alerts already carry the external labels); dropped alerts are left out. */
function relabelAlerts(alerts: Alert[], configs: RelabelConfig[]): Alert[] {
  if (configs.length === 0) return alerts;
  const out: Alert[] = [];
  for (const a of alerts) {
    const ls = relabel(Labels.from(a.labels), configs);
    if (ls) out.push({ ...a, labels: ls.toObject() });
  }
  return out;
}

/**
 * Validates and applies the alerting parts of a config. Rule files and the Alertmanager file are checked
 * before anything changes, so a broken file leaves everything as it was (and the reload fails).
 */
export async function applyAlerting(p: AlertingParts, cfg: Config<Sections>, f: Flags, port: number): Promise<void> {
  const url = externalUrl(f, port);
  await p.rules.loadGroups(cfg.ruleFiles);
  if (f.alertmanagerConfigFile) await p.alertmanager.loadConfigFile(f.alertmanagerConfigFile);
  else await p.alertmanager.applyConfig(parseAlertmanagerConfig(DEFAULT_AM_CONFIG, { integrations: new Set() }));
  await p.rules.update(cfg.ruleFiles, cfg.global.evaluationInterval, {
    externalLabels: cfg.global.externalLabels,
    externalURL: url,
    ruleQueryOffsetMs: cfg.global.ruleQueryOffset,
  });
  await p.notifier.applyConfig(cfg.sections.alerting, cfg.global.externalLabels);
  p.alertRelabel.configs = cfg.sections.alerting.alert_relabel_configs;
}
