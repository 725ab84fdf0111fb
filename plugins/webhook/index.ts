/**
 * @module plugins/webhook
 * Alertmanager's webhook receiver (`webhook_configs`): POSTs the notification as Alertmanager's webhook
 * JSON payload, version "4", field for field (receiver, status, alerts with status/labels/annotations/
 * startsAt/endsAt/generatorURL/fingerprint, groupLabels, commonLabels, commonAnnotations, externalURL,
 * version, groupKey, truncatedAlerts). `max_alerts` truncates the alert list and reports the rest in
 * truncatedAlerts. Network errors, 5xx and 429 are retried by core; other statuses are not.
 */
import { definePlugin, type NotificationMessage, type NotifierInstance } from "../../core/plugin/types.ts";
import { checkURL, goTimeJSON, postJSON, secret, sortedRecord } from "../../core/alerting/http.ts";
import { authHeaders } from "../../core/alerting/http-config.ts";
import { ConfigError } from "../../core/util/errors.ts";

/** Settings of one `webhook_configs` entry. */
export interface WebhookConfig {
  url?: string;
  url_file?: string;
  send_resolved?: boolean;
  max_alerts?: number;
  timeout?: string;
  http_config?: Record<string, unknown>;
}

/** Builds Alertmanager's webhook payload (version 4) for a message. */
export function webhookPayload(m: NotificationMessage, maxAlerts = 0): Record<string, unknown> {
  const n = maxAlerts > 0 ? Math.min(maxAlerts, m.alerts.length) : m.alerts.length;
  return {
    receiver: m.receiver,
    status: m.status,
    alerts: m.alerts.slice(0, n).map((a) => ({
      status: a.status,
      labels: sortedRecord(a.labels),
      annotations: sortedRecord(a.annotations),
      startsAt: goTimeJSON(a.startsAt),
      endsAt: goTimeJSON(a.endsAt),
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
    groupLabels: sortedRecord(m.groupLabels),
    commonLabels: sortedRecord(m.commonLabels),
    commonAnnotations: sortedRecord(m.commonAnnotations),
    externalURL: m.externalURL,
    version: "4",
    groupKey: m.groupKey,
    truncatedAlerts: m.alerts.length - n + m.truncatedAlerts,
    ...(m.routeLabels && Object.keys(m.routeLabels).length ? { routeLabels: sortedRecord(m.routeLabels) } : {}),
  };
}

export default definePlugin<"notifier", WebhookConfig>({
  name: "webhook",
  kind: "notifier",
  version: "1.0.0",
  description: "Alertmanager webhook receiver: POSTs the version 4 JSON payload",
  create(ctx): NotifierInstance {
    const c = ctx.config ?? {};
    const allowed = ["url", "url_file", "send_resolved", "max_alerts", "timeout", "http_config"];
    for (const k of Object.keys(c)) if (!allowed.includes(k)) throw new ConfigError(`field ${k} not found in type config.WebhookConfig`);
    const url = secret(c as Record<string, unknown>, "url", ctx.configDir);
    if (!url) throw new ConfigError("one of url or url_file must be configured");
    checkURL(url, "url");
    const max = c.max_alerts ?? 0;
    if (!Number.isInteger(max) || max < 0) throw new ConfigError("max_alerts: expected a non-negative integer");
    const headers = authHeaders(c.http_config, ctx.configDir);
    return {
      async notify(message, signal) {
        return postJSON(url, webhookPayload(message, max), signal, headers);
      },
    };
  },
});
