/**
 * @module core/rules/rulefmt
 * Rule files in Prometheus's format, parsed and validated as strictly as `promtool check rules`:
 * unknown keys rejected, group names unique per file, each rule exactly one of record/alert with an
 * expr, record names valid metric names, no `for`/`keep_firing_for`/`annotations` on recording rules,
 * label and annotation names valid, PromQL parsed (by an injected checker) and label/annotation templates
 * parsed at load so unknown functions or variables are caught before an alert fires.
 *
 * Every error names the file, the position, the group, the rule (1-based index and name) and the reason:
 * `rules.yml: 5:9: group "g", rule 1, "name": could not parse expression: …`.
 */
import { readFileSync } from "node:fs";
import { isMap, isSeq, parseDocument, type Node as YamlNode } from "yaml";
import { parseDuration } from "../util/duration.ts";
import { ConfigError, errorMessage } from "../util/errors.ts";
import { RuleTemplate } from "../template/index.ts";

/** How label names are validated: Prometheus 3's UTF-8 default or the legacy `[a-zA-Z_][a-zA-Z0-9_]*`. */
export type NameValidation = "utf8" | "legacy";

/** Validates a PromQL expression; returns its canonical text (as Prometheus prints it) or throws. */
export type ExprChecker = (expr: string) => string;

/** One rule as written in a rule file, validated. Durations in ms. */
export interface RuleConfig {
  record?: string;
  alert?: string;
  /** The expression as written. */
  expr: string;
  /** The expression as the checker printed it (or as written when no checker is given). */
  query: string;
  forMs: number;
  keepFiringForMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Parsed label templates (alerting rules) keyed by label name. */
  labelTemplates: Map<string, RuleTemplate>;
  annotationTemplates: Map<string, RuleTemplate>;
}

/** One group of a rule file. Durations in ms; undefined = use the global evaluation_interval. */
export interface RuleGroupConfig {
  name: string;
  file: string;
  intervalMs?: number;
  queryOffsetMs?: number;
  limit: number;
  /** Group-level labels added to every rule's labels (Prometheus 3). */
  labels: Record<string, string>;
  rules: RuleConfig[];
}

/** Options of {@link parseRuleFile}. */
export interface RuleParseOptions {
  checkExpr?: ExprChecker;
  nameValidation?: NameValidation;
}

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const GROUP_KEYS = ["name", "interval", "limit", "query_offset", "labels", "rules"];
const RULE_KEYS = ["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"];

/** Whether a string has no lone surrogates (is valid UTF-8 once encoded). */
function wellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function validName(n: string, v: NameValidation): boolean {
  if (v === "legacy") return LEGACY_NAME.test(n);
  return n.length > 0 && wellFormed(n);
}

/** Reads and parses a rule file. Throws ConfigError listing every problem found. */
export function loadRuleFile(path: string, opts: RuleParseOptions = {}): RuleGroupConfig[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`${path}: ${errorMessage(e)}`, path);
  }
  return parseRuleFile(text, path, opts);
}

/** Parses rule-file text. Throws ConfigError (all problems, one per line) on invalid input. */
export function parseRuleFile(text: string, file: string, opts: RuleParseOptions = {}): RuleGroupConfig[] {
  const doc = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const lp = e.linePos?.[0];
    throw new ConfigError(`${file}: ${lp ? `${lp.line}:${lp.col}: ` : ""}yaml: ${e.message.split("\n")[0]}`, file);
  }
  const errs: string[] = [];
  const pos = (n: unknown): string => {
    const r = (n as YamlNode | undefined)?.range;
    if (!r) return "";
    let line = 1, col = 1;
    for (let i = 0; i < r[0] && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    return `${line}:${col}: `;
  };
  const raw = doc.toJS({ maxAliasCount: 10_000 }) as unknown;
  if (raw === null || raw === undefined) return [];
  if (typeof raw !== "object" || Array.isArray(raw)) throw new ConfigError(`${file}: expected a mapping with key "groups"`, file);
  for (const k of Object.keys(raw)) if (k !== "groups") errs.push(`${file}: field ${k} not found in type rulefmt.RuleGroups`);
  const groupsRaw = (raw as Record<string, unknown>).groups ?? [];
  if (!Array.isArray(groupsRaw)) throw new ConfigError(`${file}: groups: expected a list`, file);
  const seen = new Set<string>();
  const groups: RuleGroupConfig[] = [];
  const v = opts.nameValidation ?? "utf8";

  groupsRaw.forEach((g: unknown, gi: number) => {
    const gNode = doc.getIn(["groups", gi], true);
    const gp = `${file}: ${pos(gNode)}`;
    if (!g || typeof g !== "object" || Array.isArray(g)) {
      errs.push(`${gp}group ${gi + 1}: expected a mapping`);
      return;
    }
    const go = g as Record<string, unknown>;
    for (const k of Object.keys(go)) if (!GROUP_KEYS.includes(k)) errs.push(`${gp}field ${k} not found in type rulefmt.RuleGroup`);
    const name = typeof go.name === "string" ? go.name : "";
    if (name === "") errs.push(`${gp}Groupname must not be empty`);
    else if (seen.has(name)) errs.push(`${gp}groupname: "${name}" is repeated in the same file`);
    seen.add(name);
    const group: RuleGroupConfig = { name, file, limit: 0, labels: {}, rules: [] };
    const dur = (key: string): number | undefined => {
      const x = go[key];
      if (x === undefined || x === null) return undefined;
      try {
        if (typeof x !== "string") throw new Error(`not a valid duration string: ${JSON.stringify(x)}`);
        return parseDuration(x);
      } catch (e) {
        errs.push(`${gp}group "${name}": ${key}: ${errorMessage(e)}`);
        return undefined;
      }
    };
    group.intervalMs = dur("interval");
    if (group.intervalMs === 0) group.intervalMs = undefined;
    group.queryOffsetMs = dur("query_offset");
    if (go.limit !== undefined && go.limit !== null) {
      if (typeof go.limit !== "number" || !Number.isInteger(go.limit) || go.limit < 0) errs.push(`${gp}group "${name}": limit: expected a non-negative integer`);
      else group.limit = go.limit;
    }
    group.labels = stringMap(go.labels, (m) => errs.push(`${gp}group "${name}": labels: ${m}`));
    for (const k of Object.keys(group.labels)) if (!validName(k, v) || k === "__name__") errs.push(`${gp}group "${name}": invalid label name: ${k}`);
    const rules = go.rules ?? [];
    if (!Array.isArray(rules)) {
      errs.push(`${gp}group "${name}": rules: expected a list`);
      return;
    }
    rules.forEach((r: unknown, ri: number) => {
      const rNode = doc.getIn(["groups", gi, "rules", ri], true);
      const rp = `${file}: ${pos(rNode)}group "${name}", rule ${ri + 1}`;
      const rule = parseRule(r, rp, v, opts.checkExpr, (m) => errs.push(m), doc, ["groups", gi, "rules", ri], pos, file);
      if (rule) group.rules.push(rule);
    });
    groups.push(group);
  });
  if (errs.length) throw new ConfigError(errs.join("\n"), file);
  return groups;
}

function stringMap(x: unknown, fail: (m: string) => void): Record<string, string> {
  if (x === undefined || x === null) return {};
  if (typeof x !== "object" || Array.isArray(x)) {
    fail("expected a mapping of strings");
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(x)) {
    if (typeof val === "string") out[k] = val;
    else if (typeof val === "number" || typeof val === "boolean") out[k] = String(val);
    else fail(`${k}: expected a string`);
  }
  return out;
}

function parseRule(
  r: unknown, rp: string, v: NameValidation, checkExpr: ExprChecker | undefined, fail: (m: string) => void,
  doc: ReturnType<typeof parseDocument>, path: Array<string | number>, pos: (n: unknown) => string, file: string,
): RuleConfig | null {
  if (!r || typeof r !== "object" || Array.isArray(r)) {
    fail(`${rp}: expected a mapping`);
    return null;
  }
  const ro = r as Record<string, unknown>;
  const name = typeof ro.alert === "string" ? ro.alert : typeof ro.record === "string" ? ro.record : "";
  const at = (key: string) => {
    const n = doc.getIn([...path, key], true);
    return `${file}: ${pos(n)}` + rp.slice(rp.indexOf("group \""));
  };
  const p = `${rp}, ${JSON.stringify(name)}`;
  let ok = true;
  const err = (m: string, key?: string) => {
    ok = false;
    fail(key ? `${at(key)}, ${JSON.stringify(name)}: ${m}` : `${p}: ${m}`);
  };
  for (const k of Object.keys(ro)) if (!RULE_KEYS.includes(k)) err(`field ${k} not found in type rulefmt.Rule`);
  const hasRecord = ro.record !== undefined && ro.record !== null && ro.record !== "";
  const hasAlert = ro.alert !== undefined && ro.alert !== null && ro.alert !== "";
  if (hasRecord && hasAlert) err("only one of 'record' and 'alert' must be set");
  else if (!hasRecord && !hasAlert) err("one of 'record' or 'alert' must be set");
  if (hasRecord && typeof ro.record !== "string") err("record: expected a string", "record");
  if (hasAlert && typeof ro.alert !== "string") err("alert: expected a string", "alert");
  let query = "";
  const expr = ro.expr;
  if (expr === undefined || expr === null || expr === "") err("field 'expr' must be set in rule", undefined);
  else if (typeof expr !== "string" && typeof expr !== "number") err("expr: expected a string", "expr");
  else {
    query = String(expr);
    if (checkExpr) {
      try {
        query = checkExpr(String(expr));
      } catch (e) {
        err(`could not parse expression: ${errorMessage(e)}`, "expr");
      }
    }
  }
  const d = (key: string): number => {
    const x = ro[key];
    if (x === undefined || x === null) return 0;
    try {
      if (typeof x !== "string") throw new Error(`not a valid duration string: ${JSON.stringify(x)}`);
      return parseDuration(x);
    } catch (e) {
      err(`${key}: ${errorMessage(e)}`, key);
      return 0;
    }
  };
  const forMs = d("for");
  const keepFiringForMs = d("keep_firing_for");
  const labels = stringMap(ro.labels, (m) => err(`labels: ${m}`, "labels"));
  const annotations = stringMap(ro.annotations, (m) => err(`annotations: ${m}`, "annotations"));
  if (hasRecord && typeof ro.record === "string") {
    if (ro.annotations !== undefined) err("invalid field 'annotations' in recording rule", "annotations");
    if (ro.for !== undefined) err("invalid field 'for' in recording rule", "for");
    if (ro.keep_firing_for !== undefined) err("invalid field 'keep_firing_for' in recording rule", "keep_firing_for");
    if (!METRIC_NAME.test(ro.record)) err(`invalid recording rule name: ${ro.record}`, "record");
  }
  for (const [k, val] of Object.entries(labels)) {
    if (!validName(k, v) || k === "__name__") err(`invalid label name: ${k}`, "labels");
    if (!wellFormed(val)) err(`invalid label value: ${val}`, "labels");
  }
  for (const k of Object.keys(annotations)) if (!validName(k, v)) err(`invalid annotation name: ${k}`, "annotations");
  const labelTemplates = new Map<string, RuleTemplate>();
  const annotationTemplates = new Map<string, RuleTemplate>();
  if (hasAlert && typeof ro.alert === "string") {
    for (const [kind, src, dst] of [["label", labels, labelTemplates], ["annotation", annotations, annotationTemplates]] as const) {
      for (const [k, text] of Object.entries(src)) {
        try {
          dst.set(k, new RuleTemplate(`__alert_${ro.alert}`, text));
        } catch (e) {
          err(`${kind} ${JSON.stringify(k)}: ${errorMessage(e)}`, kind === "label" ? "labels" : "annotations");
        }
      }
    }
  }
  if (!ok) return null;
  return {
    record: hasRecord ? (ro.record as string) : undefined,
    alert: hasAlert ? (ro.alert as string) : undefined,
    expr: String(expr),
    query,
    forMs,
    keepFiringForMs,
    labels,
    annotations,
    labelTemplates,
    annotationTemplates,
  };
}
