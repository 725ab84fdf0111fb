/**
 * @module core/relabel/config
 * The `<relabel_config>` section (used by relabel_configs, metric_relabel_configs and
 * alert_relabel_configs): types with Prometheus's YAML keys, its defaults, and a strict validator that
 * reproduces Prometheus's checks and messages.
 *
 * Invariants: a parsed config always carries a compiled, fully anchored RE2 regex (`^(?s:…)$`), its
 * action is lowercase and valid, and the action-specific rules of Prometheus's `Config.Validate` hold.
 * Label names are validated with the classic character set `[a-zA-Z_][a-zA-Z0-9_]*`.
 */
import { compileAnchored, RegexError } from "../model/regex.ts";
import {
  configFail, expectList, expectObject, joinPath, LABEL_NAME_RE, readString, readStringList, type RawObject,
} from "../util/config-check.ts";

/** Every relabel action Prometheus has. */
export const RELABEL_ACTIONS = [
  "replace", "keep", "drop", "keepequal", "dropequal", "hashmod", "labelmap", "labeldrop", "labelkeep",
  "lowercase", "uppercase",
] as const;

/** A relabel action name. */
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** One validated relabel rule. Field names are Prometheus's YAML keys. */
export interface RelabelConfig {
  /** Labels whose values are joined with `separator` to form the input. */
  source_labels: string[];
  separator: string;
  /** The regex as written (without anchors). */
  regex: string;
  /** Modulus for hashmod (0 when unset). */
  modulus: number;
  target_label: string;
  replacement: string;
  action: RelabelAction;
  /** The compiled, fully anchored regex. Shared; never used with the `g` flag. */
  readonly compiled: RegExp;
}

/** Prometheus's defaults for a relabel rule. */
export const DEFAULT_RELABEL_CONFIG = {
  action: "replace" as RelabelAction,
  separator: ";",
  regex: "(.*)",
  replacement: "$1",
  modulus: 0,
  target_label: "",
} as const;

const KEYS = ["source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"] as const;

/** Pattern a templated target_label (or labelmap replacement) must match, as in Prometheus. */
const RELABEL_TARGET_RE = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

/** Whether `name` is a valid label name. */
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME_RE.test(name);
}

/**
 * Validates a list of relabel rules (e.g. the value of `relabel_configs`). `path` names the list in error
 * messages. Throws ConfigError.
 */
export function parseRelabelConfigs(raw: unknown, path: string): RelabelConfig[] {
  return expectList(raw, path).map((r, i) => parseRelabelConfig(r, joinPath(path, i)));
}

/** Validates one relabel rule. Throws ConfigError naming `path`. */
export function parseRelabelConfig(raw: unknown, path: string): RelabelConfig {
  const o: RawObject = expectObject(raw, path, KEYS);
  const actionRaw = readString(o, "action", path, DEFAULT_RELABEL_CONFIG.action);
  const action = actionRaw.toLowerCase() as RelabelAction;
  if (actionRaw === "") configFail(joinPath(path, "action"), "relabel action cannot be empty");
  if (!RELABEL_ACTIONS.includes(action)) configFail(joinPath(path, "action"), `unknown relabel action ${JSON.stringify(actionRaw)}`);
  const sourceLabels = readStringList(o, "source_labels", path);
  sourceLabels?.forEach((n, i) => {
    if (!isValidLabelName(n)) configFail(joinPath(joinPath(path, "source_labels"), i), `${JSON.stringify(n)} is not a valid label name`);
  });
  const regexSet = o.regex !== undefined;
  // An explicit `regex:` with no value compiles the empty regex, as Prometheus does.
  const regex = o.regex === null ? "" : readString(o, "regex", path, DEFAULT_RELABEL_CONFIG.regex);
  let compiled: RegExp;
  try {
    compiled = compileAnchored(regex);
  } catch (e) {
    if (e instanceof RegexError) configFail(joinPath(path, "regex"), e.message);
    throw e;
  }
  const m = o.modulus;
  if (m !== undefined && m !== null && (typeof m !== "number" || !Number.isInteger(m) || m < 0)) {
    configFail(joinPath(path, "modulus"), `expected a non-negative integer, got ${JSON.stringify(m)}`);
  }
  const cfg: RelabelConfig = {
    source_labels: sourceLabels ?? [],
    separator: readString(o, "separator", path, DEFAULT_RELABEL_CONFIG.separator),
    regex,
    modulus: typeof m === "number" ? m : 0,
    target_label: readString(o, "target_label", path, ""),
    replacement: readString(o, "replacement", path, DEFAULT_RELABEL_CONFIG.replacement),
    action,
    compiled,
  };
  const reason = validate(cfg, regexSet, sourceLabels !== undefined);
  if (reason) configFail(path, reason);
  return cfg;
}

/** Prometheus's action-specific rules; returns the error message or undefined. */
function validate(c: RelabelConfig, regexSet: boolean, sourceSet: boolean): string | undefined {
  const a = c.action;
  const d = DEFAULT_RELABEL_CONFIG;
  if (c.modulus === 0 && a === "hashmod") return "relabel configuration for hashmod requires non-zero modulus";
  const needsTarget = a === "replace" || a === "hashmod" || a === "lowercase" || a === "uppercase" || a === "keepequal" || a === "dropequal";
  if (needsTarget && c.target_label === "") return `relabel configuration for ${a} action requires 'target_label' value`;
  const bad = `${JSON.stringify(c.target_label)} is invalid 'target_label' for ${a} action`;
  if (a === "replace") {
    if (!c.target_label.includes("$") && !isValidLabelName(c.target_label)) return bad;
    if (c.target_label.includes("$") && !RELABEL_TARGET_RE.test(c.target_label)) return bad;
  }
  const caseOrEqual = a === "lowercase" || a === "uppercase" || a === "keepequal" || a === "dropequal";
  if (caseOrEqual && !isValidLabelName(c.target_label)) return bad;
  if (caseOrEqual && c.replacement !== d.replacement) return `'replacement' can not be set for ${a} action`;
  if (a === "labelmap" && !RELABEL_TARGET_RE.test(c.replacement)) {
    return `${JSON.stringify(c.replacement)} is invalid 'replacement' for ${a} action`;
  }
  if (a === "hashmod" && !isValidLabelName(c.target_label)) return bad;
  if ((a === "keepequal" || a === "dropequal") &&
    (regexSet || c.modulus !== d.modulus || c.separator !== d.separator || c.replacement !== d.replacement)) {
    return `${a} action requires only 'source_labels' and \`target_label\`, and no other fields`;
  }
  if ((a === "labeldrop" || a === "labelkeep") &&
    (sourceSet || c.target_label !== d.target_label || c.modulus !== d.modulus || c.separator !== d.separator ||
      c.replacement !== d.replacement)) {
    return `${a} action requires only 'regex', and no other fields`;
  }
  return undefined;
}

/**
 * Builds a relabel rule from code (tests, built-in jobs), applying defaults and the same validation.
 * @example relabelConfig({ action: "labeldrop", regex: "tmp_.*" })
 */
export function relabelConfig(fields: Partial<Omit<RelabelConfig, "compiled">>): RelabelConfig {
  const raw: RawObject = { ...fields };
  if (fields.modulus === 0) delete raw.modulus;
  if (fields.source_labels && fields.source_labels.length === 0) delete raw.source_labels;
  return parseRelabelConfig(raw, "relabel_config");
}
