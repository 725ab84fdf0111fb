/**
 * @module core/alerting/metrics
 * Self-metrics of Quiver's Alertmanager, with Alertmanager's names: per-integration notification counters
 * and latency, received and invalid alerts, aggregation groups. Registered on the registry passed in.
 */
import { Counter, Gauge, Histogram, type Registry } from "../../exporters/service/index.ts";

/** Alertmanager metrics. */
export class AlertmanagerMetrics {
  readonly notificationsTotal: Counter<"integration">;
  readonly notificationsFailed: Counter<"integration">;
  readonly requestsTotal: Counter<"integration">;
  readonly requestsFailed: Counter<"integration">;
  readonly latency: Histogram<"integration">;
  readonly alertsReceived: Counter<"status">;
  readonly alertsInvalid: Counter;
  readonly aggrGroups: Gauge;
  readonly configHash: Gauge;
  readonly configLastReloadSuccess: Gauge;
  readonly configLastReloadSuccessTime: Gauge;

  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    const i = ["integration"] as const;
    this.notificationsTotal = new Counter({ name: "alertmanager_notifications_total", help: "The total number of attempted notifications.", labelNames: i, registers });
    this.notificationsFailed = new Counter({ name: "alertmanager_notifications_failed_total", help: "The total number of failed notifications.", labelNames: i, registers });
    this.requestsTotal = new Counter({ name: "alertmanager_notification_requests_total", help: "The total number of attempted notification requests.", labelNames: i, registers });
    this.requestsFailed = new Counter({ name: "alertmanager_notification_requests_failed_total", help: "The total number of failed notification requests.", labelNames: i, registers });
    this.latency = new Histogram({ name: "alertmanager_notification_latency_seconds", help: "The latency of notifications in seconds.", labelNames: i, buckets: [1, 5, 10, 15, 20], registers });
    this.alertsReceived = new Counter({ name: "alertmanager_alerts_received_total", help: "The total number of received alerts.", labelNames: ["status"], registers });
    this.alertsInvalid = new Counter({ name: "alertmanager_alerts_invalid_total", help: "The total number of received alerts that were invalid.", registers });
    this.aggrGroups = new Gauge({ name: "alertmanager_dispatcher_aggregation_groups", help: "Number of active aggregation groups", registers });
    this.configHash = new Gauge({ name: "alertmanager_config_hash", help: "Hash of the currently loaded alertmanager configuration.", registers });
    this.configLastReloadSuccess = new Gauge({ name: "alertmanager_config_last_reload_successful", help: "Whether the last configuration reload attempt was successful.", registers });
    this.configLastReloadSuccessTime = new Gauge({ name: "alertmanager_config_last_reload_success_timestamp_seconds", help: "Timestamp of the last successful configuration reload.", registers });
  }

  /** Initialises the per-integration series to 0 so they are visible before the first send. */
  initIntegration(name: string): void {
    for (const c of [this.notificationsTotal, this.notificationsFailed, this.requestsTotal, this.requestsFailed]) c.inc({ integration: name }, 0);
  }
}
