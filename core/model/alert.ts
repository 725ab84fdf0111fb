/**
 * @module core/model/alert
 * Alerts and notification messages as Alertmanager defines them. The notification message is the data
 * Alertmanager's templates and its webhook payload (version "4") are built from; notifier plugins receive it.
 */

/** One alert as Alertmanager holds it. Times are ms since the Unix epoch. */
export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** When the alert started firing (ms). */
  startsAt: number;
  /** When the alert resolved or is expected to resolve (ms); 0 when unknown. */
  endsAt: number;
  generatorURL: string;
  /** Fingerprint of the label set, 16 lowercase hex digits (Alertmanager's model.Fingerprint). */
  fingerprint: string;
}

/** An alert in a notification, with its status at send time. */
export interface NotificationAlert extends Alert {
  status: "firing" | "resolved";
}

/** What a notification channel is asked to deliver: one group of alerts for one receiver. */
export interface NotificationMessage {
  receiver: string;
  status: "firing" | "resolved";
  alerts: NotificationAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  /** Alertmanager's group key, e.g. `{}:{alertname="X"}`. */
  groupKey: string;
  /** Alerts left out because of max_alerts. */
  truncatedAlerts: number;
  /** Rendered route `labels` of the group's route (Alertmanager route labels); absent when none. */
  routeLabels?: Record<string, string>;
}
