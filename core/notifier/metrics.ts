/**
 * @module core/notifier/metrics
 * Metrics of the sender to external Alertmanagers, with Prometheus's names (notifier/metric.go).
 */
import { Counter, Gauge, Summary, type Registry } from "../../exporters/service/index.ts";

/** Sender metrics. */
export class NotifierMetrics {
  readonly latency: Summary<"alertmanager">;
  readonly errors: Counter<"alertmanager">;
  readonly sent: Counter<"alertmanager">;
  readonly dropped: Counter;
  readonly queueLength: Gauge;
  readonly queueCapacity: Gauge;
  readonly discovered: Gauge;

  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    const am = ["alertmanager"] as const;
    this.latency = new Summary({ name: "prometheus_notifications_latency_seconds", help: "Latency quantiles for sending alert notifications.", labelNames: am, percentiles: [0.5, 0.9, 0.99], registers });
    this.errors = new Counter({ name: "prometheus_notifications_errors_total", help: "Total number of sent alerts affected by errors.", labelNames: am, registers });
    this.sent = new Counter({ name: "prometheus_notifications_sent_total", help: "Total number of alerts sent.", labelNames: am, registers });
    this.dropped = new Counter({ name: "prometheus_notifications_dropped_total", help: "Total number of alerts dropped due to errors when sending to Alertmanager.", registers });
    this.queueLength = new Gauge({ name: "prometheus_notifications_queue_length", help: "The number of alert notifications in the queue.", registers });
    this.queueCapacity = new Gauge({ name: "prometheus_notifications_queue_capacity", help: "The capacity of the alert notifications queue.", registers });
    this.discovered = new Gauge({ name: "prometheus_notifications_alertmanagers_discovered", help: "The number of alertmanagers discovered and active.", registers });
  }
}
