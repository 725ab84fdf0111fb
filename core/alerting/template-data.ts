/**
 * @module core/alerting/template-data
 * Notification templating as Alertmanager does it: the template data (`.Receiver`, `.Status`, `.Alerts`
 * with `.Firing`/`.Resolved`, `.GroupLabels`/`.CommonLabels`/`.CommonAnnotations` as KV maps with
 * `.SortedPairs`, `.Names`, `.Values`, `.Remove`, `.ExternalURL`), Alertmanager's template functions
 * (toUpper, toLower, title, trimSpace, join, match, reReplaceAll, safeHtml, safeUrl, urlUnescape,
 * stringSlice, date, tz, since, humanizeDuration, toJson) and a {@link TemplateExpander} that knows the
 * default templates plus the user's `templates:` files.
 *
 * Notifier plugins receive the expander in their create() context as `ctx.templates` ({@link NotifierContext}).
 */
import { readFileSync } from "node:fs";
import type { NotificationAlert, NotificationMessage } from "../model/alert.ts";
import type { PluginContext } from "../plugin/types.ts";
import {
  Executor, goBuiltins, GoTime, htmlEscape, humanizeDuration, parseTemplate, SafeHTML, stringFuncs, type Node, type TemplateFunc,
} from "../template/index.ts";
import { DEFAULT_TEMPLATES } from "./default-templates.ts";

/** A sorted name/value pair (Alertmanager's template.Pair). */
export interface Pair {
  Name: string;
  Value: string;
}

/** Alertmanager's template.KV: a string map with helper methods. Keys are own enumerable properties. */
export function kv(m: Record<string, string>): Record<string, string> {
  const o: Record<string, string> = { ...m };
  const sorted = () => Object.keys(o).sort();
  const hidden = {
    SortedPairs: () => pairs(sorted().map((k) => ({ Name: k, Value: o[k]! }))),
    Names: () => sorted(),
    Values: () => sorted().map((k) => o[k]!),
    Remove: (keys: unknown) => {
      const drop = new Set(Array.isArray(keys) ? keys.map(String) : [String(keys)]);
      return kv(Object.fromEntries(Object.entries(o).filter(([k]) => !drop.has(k))));
    },
  };
  for (const [k, f] of Object.entries(hidden)) Object.defineProperty(o, k, { value: f, enumerable: false });
  return o;
}

function pairs(ps: Pair[]): Pair[] {
  const arr = [...ps];
  Object.defineProperty(arr, "Names", { value: () => ps.map((p) => p.Name), enumerable: false });
  Object.defineProperty(arr, "Values", { value: () => ps.map((p) => p.Value), enumerable: false });
  return arr;
}

function tmplAlert(a: NotificationAlert): Record<string, unknown> {
  return {
    Status: a.status,
    Labels: kv(a.labels),
    Annotations: kv(a.annotations),
    StartsAt: new GoTime(a.startsAt / 1000),
    EndsAt: a.endsAt ? new GoTime(a.endsAt / 1000) : new GoTime(-62135596800),
    GeneratorURL: a.generatorURL,
    Fingerprint: a.fingerprint,
  };
}

function alertList(as: NotificationAlert[]): unknown[] {
  const arr = as.map(tmplAlert);
  Object.defineProperty(arr, "Firing", { value: () => alertList(as.filter((a) => a.status === "firing")), enumerable: false });
  Object.defineProperty(arr, "Resolved", { value: () => alertList(as.filter((a) => a.status === "resolved")), enumerable: false });
  return arr;
}

/** Builds Alertmanager's template data for a message. */
export function templateData(m: NotificationMessage): Record<string, unknown> {
  return {
    Receiver: m.receiver,
    Status: m.status,
    Alerts: alertList(m.alerts),
    GroupLabels: kv(m.groupLabels),
    CommonLabels: kv(m.commonLabels),
    CommonAnnotations: kv(m.commonAnnotations),
    ExternalURL: m.externalURL,
    GroupKey: m.groupKey,
    TruncatedAlerts: BigInt(m.truncatedAlerts),
  };
}

/** Alertmanager's template functions (plus Go's builtins). */
export function alertmanagerFuncs(routeLabels: Record<string, string> = {}): Map<string, TemplateFunc> {
  const s = stringFuncs();
  return new Map<string, TemplateFunc>([
    ...goBuiltins(),
    ["toUpper", s.get("toUpper")!], ["toLower", s.get("toLower")!], ["title", s.get("title")!], ["trimSpace", s.get("trimSpace")!],
    ["match", s.get("match")!], ["reReplaceAll", s.get("reReplaceAll")!], ["safeHtml", s.get("safeHtml")!],
    ["join", (sep: unknown, xs: unknown) => (Array.isArray(xs) ? xs.map(String).join(String(sep)) : String(xs))],
    ["safeUrl", (x: unknown) => new SafeHTML(String(x))],
    ["urlUnescape", (x: unknown) => decodeURIComponent(String(x).replace(/\+/g, " "))],
    ["stringSlice", (...xs: unknown[]) => xs.map(String)],
    ["humanizeDuration", humanizeDuration],
    ["toJson", (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? Number(v) : v instanceof GoTime ? v.date.toISOString() : v))],
    ["date", (layout: unknown, t: unknown) => (t instanceof GoTime ? t.Format(String(layout)) : String(t))],
    ["tz", (_name: unknown, t: unknown) => t],
    ["since", (t: unknown) => (t instanceof GoTime ? (Date.now() / 1000 - t.seconds) : 0)],
    ["routeLabels", (name: unknown) => routeLabels[String(name)] ?? ""],
  ]);
}

/** Expands notification templates for messages. */
export interface TemplateExpander {
  /** Expands `text` (which may call `{{ template "slack.default.title" . }}`) against the message. */
  expand(text: string, message: NotificationMessage): Promise<string>;
  /** Same with HTML escaping of action output (email bodies); `safeHtml` values pass unescaped. */
  expandHTML(text: string, message: NotificationMessage): Promise<string>;
}

/** The context a notifier plugin's create() receives from Quiver's Alertmanager. */
export interface NotifierContext<C = unknown> extends PluginContext<C> {
  templates: TemplateExpander;
  /** The receiver and integration index, for logs and metrics. */
  receiver?: string;
}

/**
 * Renders a route's `labels` (templates) for a group. Labels may refer to each other with
 * `routeLabels "name"`; three passes resolve chains of references (a label sees the previous pass).
 */
export async function renderRouteLabels(labels: Record<string, string>, m: NotificationMessage, t: TemplateExpander): Promise<Record<string, string>> {
  let values: Record<string, string> = {};
  for (let pass = 0; pass < 3; pass++) {
    const next: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) next[k] = await t.expand(v, { ...m, routeLabels: values });
    values = next;
  }
  return values;
}

/**
 * Creates an expander with the default templates and the given template files' definitions
 * (`templates:` globs already expanded). Throws TemplateParseError naming the file on a broken file.
 */
export function createTemplateExpander(files: readonly string[] = []): TemplateExpander {
  const names = new Set(alertmanagerFuncs().keys());
  const defines = new Map<string, Node[]>(parseTemplate("default.tmpl", DEFAULT_TEMPLATES, names).defines);
  for (const f of files) {
    const t = parseTemplate(f.split("/").pop()!, readFileSync(f, "utf8"), names);
    for (const [k, v] of t.defines) defines.set(k, v);
  }
  const cache = new Map<string, ReturnType<typeof parseTemplate>>();
  const baseFuncs = alertmanagerFuncs();
  const run = async (text: string, m: NotificationMessage, escape?: (s: string) => string) => {
    let t = cache.get(text);
    if (!t) {
      t = parseTemplate("", text, names);
      if (cache.size > 1000) cache.clear();
      cache.set(text, t);
    }
    const all = t.defines.size ? new Map([...defines, ...t.defines]) : defines;
    const funcs = m.routeLabels ? alertmanagerFuncs(m.routeLabels) : baseFuncs;
    return new Executor(funcs, all, escape).execute(t, templateData(m));
  };
  return {
    expand: (text, m) => run(text, m),
    expandHTML: (text, m) => run(text, m, htmlEscape),
  };
}
