/**
 * @module core/notifier
 * Sending alerts to external Alertmanagers (Prometheus's `alerting:` section): config parsing and the
 * queueing, batching sender.
 */
export { parseAlertingSection, DEFAULT_ALERTMANAGER_TIMEOUT_MS, type AlertingConfig, type AlertmanagerSetConfig } from "./config.ts";
export { NotifierManager, DEFAULT_QUEUE_CAPACITY, MAX_BATCH_SIZE, type NotifierManagerOptions } from "./manager.ts";
export { NotifierMetrics } from "./metrics.ts";
