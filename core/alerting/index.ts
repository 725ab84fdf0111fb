/**
 * @module core/alerting
 * Quiver's Alertmanager-compatible notifier: config (config.ts), routing (route.ts), dispatch
 * (dispatch.ts), inhibition, silences, notification log, the notification pipeline (notify.ts),
 * templates (template-data.ts, default-templates.ts), HTTP helpers for channels (http.ts) and the API v2
 * (api.ts). Channels are notifier plugins under plugins/.
 */
export { AlertingManager, GC_INTERVAL_MS, RESOLVED_ALERT_RETENTION_MS, type AlertingManagerOptions } from "./manager.ts";
export { parseAlertmanagerConfig, DEFAULT_GROUP_INTERVAL_MS, DEFAULT_GROUP_WAIT_MS, DEFAULT_REPEAT_INTERVAL_MS, DEFAULT_RESOLVE_TIMEOUT_MS, type AlertmanagerConfig, type InhibitRuleConfig, type RouteConfig } from "./config.ts";
export { KNOWN_INTEGRATIONS, type IntegrationConfig, type ReceiverConfig } from "./receivers.ts";
export { createTemplateExpander, renderRouteLabels, templateData, alertmanagerFuncs, kv, type NotifierContext, type TemplateExpander } from "./template-data.ts";
export { DEFAULT_TEMPLATES } from "./default-templates.ts";
export { checkURL, goTimeJSON, sortedRecord, NOTIFIER_USER_AGENT, postJSON, redact, retryableStatus, secret } from "./http.ts";
export { parseMatcher, parseMatchers, formatMatcher, MatcherParseError } from "./matchers.ts";
export { Silences, type Silence, type SilenceMatcher, type SilenceState } from "./silences.ts";
export { Cluster, CLUSTER_STATE_PATH, DEFAULT_PEER_TIMEOUT_MS, DEFAULT_POLL_INTERVAL_MS, httpFetchPeer, normalizePeer, type ClusterOptions, type ClusterState, type FetchPeer, type WireNflogEntry } from "./cluster.ts";
export { NotificationLog, type NflogEntry } from "./nflog.ts";
export { AlertStore, isResolved, type StoredAlert } from "./alerts.ts";
export { DEFAULT_RETRY, buildMessage, needsUpdate, type RetryOptions } from "./notify.ts";
export { AlertmanagerMetrics } from "./metrics.ts";
export { alertmanagerApi, type AlertmanagerApiOptions } from "./api.ts";
export { checkKeys, COMMON_KEYS, str, templatesOf, truncate } from "./channel.ts";
