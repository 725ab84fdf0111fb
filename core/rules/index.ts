/**
 * @module core/rules
 * Recording and alerting rules: rule-file parsing (rulefmt.ts), groups and their evaluation loop
 * (group.ts), the alerting state machine (alerting.ts), for-state restore (restore.ts, state-file.ts), the
 * manager (manager.ts) and the /api/v1/rules and /api/v1/alerts data (api.ts).
 */
export { RuleManager, DEFAULT_EVALUATION_INTERVAL_MS, DEFAULT_FOR_GRACE_PERIOD_MS, DEFAULT_OUTAGE_TOLERANCE_MS, DEFAULT_RESEND_DELAY_MS, type RuleManagerOptions } from "./manager.ts";
export { Group, toNotifierAlert, type Rule, type GroupOptions } from "./group.ts";
export { AlertingRule, ALERT_FOR_STATE_METRIC_NAME, ALERT_METRIC_NAME, ALERT_NAME_LABEL, RESOLVED_RETENTION_MS, type RuleAlert } from "./alerting.ts";
export { RecordingRule, type RecordedSample } from "./recording.ts";
export { loadRuleFile, parseRuleFile, type ExprChecker, type NameValidation, type RuleConfig, type RuleGroupConfig, type RuleParseOptions } from "./rulefmt.ts";
export { alertsData, apiAlert, ruleGroupViews, rulesData, type ApiAlert, type RulesFilter } from "./api.ts";
export { RuleMetrics } from "./metrics.ts";
export { SYSTEM_CLOCK, rfc3339, type AlertState, type Clock, type QueryFunc, type RuleHealth, type RuleSample } from "./types.ts";
export { engineQueryFunc, type InstantQueryEngine } from "./engine-query.ts";
