/**
 * @module core/alerting/notify
 * The notification pipeline for one flush of an aggregation group, as Alertmanager's stages: time-interval
 * muting (mute_time_intervals / active_time_intervals), inhibition and silencing, then per integration of
 * the receiver — in parallel, so a failing channel never blocks the others — dedup against the
 * notification log (send when the firing set grew, alerts resolved with send_resolved, everything
 * resolved, or repeat_interval elapsed), delivery with a timeout and retries with exponential backoff, and
 * the log update on success.
 */
import type { NotificationAlert, NotificationMessage } from "../model/alert.ts";
import type { NotifierInstance, NotifyResult } from "../plugin/types.ts";
import type { RunningPlugin } from "../plugin/running.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../rules/types.ts";
import { errorMessage } from "../util/errors.ts";
import { parseDuration } from "../util/duration.ts";
import type { StoredAlert } from "./alerts.ts";
import { isResolved } from "./alerts.ts";
import type { AlertmanagerMetrics } from "./metrics.ts";
import type { NotificationLog, NflogEntry } from "./nflog.ts";
import type { IntegrationConfig } from "./receivers.ts";

/** Retry settings of deliveries. */
export interface RetryOptions {
  /** Timeout of one delivery attempt, ms. */
  sendTimeoutMs: number;
  /** First backoff, ms; doubles up to maxBackoffMs. */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** Alertmanager-like defaults. */
export const DEFAULT_RETRY: RetryOptions = { sendTimeoutMs: 30_000, initialBackoffMs: 500, maxBackoffMs: 60_000 };

/**
 * A configured integration of a receiver with its plugin instance, wrapped in core/plugin's RunningPlugin
 * (isolation, per-call timeout, status); null when no plugin is installed for it.
 */
export interface Integration {
  cfg: IntegrationConfig;
  receiver: string;
  runner: RunningPlugin<NotifierInstance> | null;
}

/** What the pipeline needs from its surroundings. */
export interface NotifyDeps {
  clock: Clock;
  logger: Logger;
  metrics: AlertmanagerMetrics;
  nflog: NotificationLog;
  retry: RetryOptions;
  externalURL: string;
}

function subset(xs: Iterable<string>, of: ReadonlySet<string>): boolean {
  for (const x of xs) if (!of.has(x)) return false;
  return true;
}

/** Alertmanager's DedupStage.needsUpdate. */
export function needsUpdate(entry: NflogEntry | undefined, firing: Set<string>, resolved: Set<string>, sendResolved: boolean, repeatMs: number, now: number): boolean {
  if (!entry) return firing.size > 0;
  if (!subset(firing, new Set(entry.firing))) return true;
  if (firing.size === 0) return entry.firing.length > 0;
  if (sendResolved && !subset(resolved, new Set(entry.resolved))) return true;
  return entry.timestamp < now - repeatMs;
}

function common(maps: Array<Record<string, string>>): Record<string, string> {
  if (maps.length === 0) return {};
  const out: Record<string, string> = { ...maps[0] };
  for (const m of maps.slice(1)) for (const k of Object.keys(out)) if (m[k] !== out[k]) delete out[k];
  return out;
}

/** Builds the message a channel receives. */
export function buildMessage(receiver: string, groupKey: string, groupLabels: Record<string, string>, alerts: StoredAlert[], now: number, externalURL: string, routeLabels?: Record<string, string>): NotificationMessage {
  const na: NotificationAlert[] = alerts.map((a) => ({
    status: isResolved(a, now) ? "resolved" : "firing",
    labels: a.labels, annotations: a.annotations, startsAt: a.startsAt,
    endsAt: isResolved(a, now) ? a.endsAt : 0, generatorURL: a.generatorURL, fingerprint: a.fingerprint,
  }));
  return {
    receiver,
    status: na.some((a) => a.status === "firing") ? "firing" : "resolved",
    alerts: na,
    groupLabels,
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL,
    groupKey,
    truncatedAlerts: 0,
    ...(routeLabels && Object.keys(routeLabels).length ? { routeLabels } : {}),
  };
}

function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const cancel = clock.setTimer(resolve, ms);
    signal?.addEventListener("abort", () => {
      cancel();
      resolve();
    }, { once: true });
  });
}

/** Delivers `msg` through one integration with timeout and retries until `deadline` (ms). */
export async function deliver(integ: Integration, msg: NotificationMessage, deadline: number, deps: NotifyDeps): Promise<boolean> {
  const name = integ.cfg.integration;
  const m = deps.metrics;
  m.notificationsTotal.inc({ integration: name });
  if (!integ.runner) {
    m.notificationsFailed.inc({ integration: name });
    deps.logger.error("Notify for alerts failed", { receiver: integ.receiver, integration: `${name}[${integ.cfg.index}]`, err: `no notifier plugin "${name}" is installed for ${name}_configs` });
    return false;
  }
  let backoff = deps.retry.initialBackoffMs;
  for (let attempt = 1; ; attempt++) {
    m.requestsTotal.inc({ integration: name });
    const ctrl = new AbortController();
    const own = typeof integ.cfg.settings.timeout === "string" ? parseDuration(integ.cfg.settings.timeout) : 0;
    const perAttempt = own > 0 ? own : deps.retry.sendTimeoutMs;
    const cancel = deps.clock.setTimer(() => ctrl.abort(new Error("context deadline exceeded")), Math.min(perAttempt, Math.max(1, deadline - deps.clock.now())));
    const t0 = performance.now();
    let retry = true;
    let err = "";
    let res: NotifyResult | undefined;
    try {
      await Promise.race([
        integ.runner.call("notify", async (inst, sig) => (res = await inst.notify(msg, sig)), {
          timeoutMs: perAttempt, signal: ctrl.signal, validate: (r) => r?.error,
        }),
        new Promise<never>((_, rej) => ctrl.signal.addEventListener("abort", () => rej(ctrl.signal.reason), { once: true })),
      ]);
      m.latency.observe({ integration: name }, (performance.now() - t0) / 1000);
      return true;
    } catch (e) {
      retry = res ? res.retry : true;
      err = res?.error ?? errorMessage(e);
    } finally {
      cancel();
    }
    m.latency.observe({ integration: name }, (performance.now() - t0) / 1000);
    m.requestsFailed.inc({ integration: name });
    const now = deps.clock.now();
    if (!retry || now + backoff >= deadline) {
      m.notificationsFailed.inc({ integration: name });
      deps.logger.error("Notify for alerts failed", { receiver: integ.receiver, integration: `${name}[${integ.cfg.index}]`, attempts: attempt, err });
      return false;
    }
    deps.logger.warn("Notify attempt failed, will retry later", { receiver: integ.receiver, integration: `${name}[${integ.cfg.index}]`, attempts: attempt, err });
    await sleep(deps.clock, backoff);
    backoff = Math.min(backoff * 2, deps.retry.maxBackoffMs);
  }
}

/**
 * Runs dedup, delivery and logging for one integration. `alerts` are the unmuted alerts of the group.
 * Returns whether the group may consider this integration done.
 */
export async function notifyIntegration(
  integ: Integration, groupKey: string, groupLabels: Record<string, string>, alerts: StoredAlert[], repeatMs: number,
  deadline: number, deps: NotifyDeps, routeLabels?: Record<string, string>,
): Promise<boolean> {
  const now = deps.clock.now();
  const firing = new Set<string>(), resolved = new Set<string>();
  for (const a of alerts) (isResolved(a, now) ? resolved : firing).add(a.fingerprint);
  const logKey = `${integ.receiver}/${integ.cfg.integration}/${integ.cfg.index}`;
  const entry = deps.nflog.query(groupKey, logKey);
  if (!needsUpdate(entry, firing, resolved, integ.cfg.sendResolved, repeatMs, now)) return true;
  const toSend = integ.cfg.sendResolved ? alerts : alerts.filter((a) => firing.has(a.fingerprint));
  if (toSend.length > 0) {
    const msg = buildMessage(integ.receiver, groupKey, groupLabels, toSend, now, deps.externalURL, routeLabels);
    const ok = await deliver(integ, msg, deadline, deps);
    if (!ok) return false;
  }
  deps.nflog.log(groupKey, logKey, [...firing], [...resolved]);
  return true;
}
