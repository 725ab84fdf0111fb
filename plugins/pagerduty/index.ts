/**
 * @module plugins/pagerduty
 * PagerDuty Events API v2 (`pagerduty_configs` with `routing_key`): a firing group triggers an incident
 * and a resolved one resolves it, both with `dedup_key` = SHA-256 of the group key (as Alertmanager), so
 * PagerDuty correlates them. Summary, client, details and the other fields use Alertmanager's defaults.
 */
import { createHash } from "node:crypto";
import { definePlugin, type NotifierInstance } from "../../core/plugin/types.ts";
import { checkKeys, str, templatesOf, truncate } from "../../core/alerting/channel.ts";
import { checkURL, postJSON, secret } from "../../core/alerting/http.ts";
import { authHeaders } from "../../core/alerting/http-config.ts";
import { ConfigError } from "../../core/util/errors.ts";

const KEYS = [
  "routing_key", "routing_key_file", "service_key", "service_key_file", "url", "client", "client_url", "description", "details",
  "severity", "class", "component", "group", "source", "images", "links",
];

/** Alertmanager's pagerduty_configs defaults. */
export const PAGERDUTY_DEFAULTS = {
  url: "https://events.pagerduty.com/v2/enqueue",
  client: '{{ template "pagerduty.default.client" . }}',
  client_url: '{{ template "pagerduty.default.clientURL" . }}',
  description: '{{ template "pagerduty.default.description" .}}',
  severity: "error",
  details: {
    firing: '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
    resolved: '{{ template "pagerduty.default.instances" .Alerts.Resolved }}',
    num_firing: "{{ .Alerts.Firing | len }}",
    num_resolved: "{{ .Alerts.Resolved | len }}",
  } as Record<string, string>,
};

/** The dedup key Alertmanager derives from a group key. */
export function dedupKey(groupKey: string): string {
  return createHash("sha256").update(groupKey).digest("hex");
}

export default definePlugin<"notifier", Record<string, unknown>>({
  name: "pagerduty",
  kind: "notifier",
  version: "1.0.0",
  description: "PagerDuty Events API v2 trigger/resolve with dedup_key",
  create(ctx): NotifierInstance {
    const c = ctx.config ?? {};
    checkKeys(c, KEYS, "PagerdutyConfig");
    if (c.service_key !== undefined || c.service_key_file !== undefined) {
      throw new ConfigError("service_key (Events API v1) is not supported by Quiver's pagerduty plugin; use routing_key (Events API v2)");
    }
    const routingKey = secret(c, "routing_key", ctx.configDir);
    if (!routingKey) throw new ConfigError("missing routing_key in PagerDuty config");
    const url = checkURL(str(c, "url", PAGERDUTY_DEFAULTS.url), "url");
    const details = (c.details as Record<string, string> | undefined) ?? PAGERDUTY_DEFAULTS.details;
    const tmpl = templatesOf(ctx);
    const headers = authHeaders(c.http_config, ctx.configDir);
    return {
      async notify(m, signal) {
        const x = (s: string) => tmpl.expand(s, m);
        const client = await x(str(c, "client", PAGERDUTY_DEFAULTS.client));
        const custom: Record<string, string> = {};
        for (const [k, v] of Object.entries(details)) custom[k] = await x(String(v));
        const payload: Record<string, unknown> = {
          summary: truncate(await x(str(c, "description", PAGERDUTY_DEFAULTS.description)), 1024).text,
          source: (await x(str(c, "source", ""))) || client,
          severity: await x(str(c, "severity", PAGERDUTY_DEFAULTS.severity)),
          custom_details: custom,
        };
        for (const k of ["class", "component", "group"]) {
          const v = await x(str(c, k, ""));
          if (v) payload[k] = v;
        }
        const body: Record<string, unknown> = {
          routing_key: routingKey,
          event_action: m.status === "firing" ? "trigger" : "resolve",
          dedup_key: dedupKey(m.groupKey),
          payload,
          client,
          client_url: await x(str(c, "client_url", PAGERDUTY_DEFAULTS.client_url)),
        };
        if (Array.isArray(c.images)) body.images = c.images;
        if (Array.isArray(c.links)) body.links = c.links;
        const r = await postJSON(url, body, signal, headers);
        return r.error ? { retry: r.retry, error: r.error } : { retry: false };
      },
    };
  },
});
