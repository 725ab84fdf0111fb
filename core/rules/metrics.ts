/**
 * @module core/rules/metrics
 * Self-metrics of the rule manager, with Prometheus's names and the `rule_group` label (`<file>;<name>`).
 * Registered on the registry passed in (none: metrics are kept but not exposed).
 */
import { Counter, Gauge, Summary, type Registry } from "../../exporters/service/index.ts";

/** The rule manager's metrics. */
export class RuleMetrics {
  readonly evalDuration: Summary;
  readonly groupDuration: Summary;
  readonly iterationsMissed: Counter<"rule_group">;
  readonly iterationsScheduled: Counter<"rule_group">;
  readonly evalTotal: Counter<"rule_group">;
  readonly evalFailures: Counter<"rule_group">;
  readonly groupInterval: Gauge<"rule_group">;
  readonly lastEvalTimestamp: Gauge<"rule_group">;
  readonly lastDuration: Gauge<"rule_group">;
  readonly lastRuleDurationSum: Gauge<"rule_group">;
  readonly groupRules: Gauge<"rule_group">;
  readonly lastEvalSamples: Gauge<"rule_group">;

  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    const g = ["rule_group"] as const;
    this.evalDuration = new Summary({ name: "prometheus_rule_evaluation_duration_seconds", help: "The duration for a rule to execute.", percentiles: [0.5, 0.9, 0.99], registers });
    this.groupDuration = new Summary({ name: "prometheus_rule_group_duration_seconds", help: "The duration of rule group evaluations.", percentiles: [0.01, 0.05, 0.5, 0.9, 0.99], registers });
    this.iterationsMissed = new Counter({ name: "prometheus_rule_group_iterations_missed_total", help: "The total number of rule group evaluations missed due to slow rule group evaluation.", labelNames: g, registers });
    this.iterationsScheduled = new Counter({ name: "prometheus_rule_group_iterations_total", help: "The total number of scheduled rule group evaluations, whether executed or missed.", labelNames: g, registers });
    this.evalTotal = new Counter({ name: "prometheus_rule_evaluations_total", help: "The total number of rule evaluations.", labelNames: g, registers });
    this.evalFailures = new Counter({ name: "prometheus_rule_evaluation_failures_total", help: "The total number of rule evaluation failures.", labelNames: g, registers });
    this.groupInterval = new Gauge({ name: "prometheus_rule_group_interval_seconds", help: "The interval of a rule group.", labelNames: g, registers });
    this.lastEvalTimestamp = new Gauge({ name: "prometheus_rule_group_last_evaluation_timestamp_seconds", help: "The timestamp of the last rule group evaluation in seconds.", labelNames: g, registers });
    this.lastDuration = new Gauge({ name: "prometheus_rule_group_last_duration_seconds", help: "The duration of the last rule group evaluation.", labelNames: g, registers });
    this.lastRuleDurationSum = new Gauge({ name: "prometheus_rule_group_last_rule_duration_sum_seconds", help: "The sum of time in seconds it took to evaluate each rule in the group regardless of concurrency.", labelNames: g, registers });
    this.groupRules = new Gauge({ name: "prometheus_rule_group_rules", help: "The number of rules.", labelNames: g, registers });
    this.lastEvalSamples = new Gauge({ name: "prometheus_rule_group_last_evaluation_samples", help: "The number of samples returned during the last rule group evaluation.", labelNames: g, registers });
  }

  /** Removes the per-group series of a group that no longer exists. */
  removeGroup(key: string): void {
    for (const m of [this.iterationsMissed, this.iterationsScheduled, this.evalTotal, this.evalFailures, this.groupInterval, this.lastEvalTimestamp, this.lastDuration, this.lastRuleDurationSum, this.groupRules, this.lastEvalSamples]) {
      m.remove({ rule_group: key });
    }
  }
}
