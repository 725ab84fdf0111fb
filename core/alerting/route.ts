/**
 * @module core/alerting/route
 * Route-tree matching and group keys, as Alertmanager: an alert descends into the first matching child
 * (and on into later siblings while `continue` is set); when no child matches, the node itself takes it.
 * A route's key is its ancestors' keys joined by `/`, each `{matchers}`; a group key is
 * `<route key>:<group labels>` such as `{}:{alertname="X"}`.
 */
import type { Matcher } from "../model/matcher.ts";
import type { RouteConfig } from "./config.ts";

/** A route node with its key. */
export interface Route {
  cfg: RouteConfig;
  key: string;
  children: Route[];
}

function matchersString(ms: readonly Matcher[]): string {
  const sorted = [...ms].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return "{" + sorted.map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`).join(",") + "}";
}

/** Builds the route tree with keys. */
export function buildRoute(cfg: RouteConfig, parentKey = ""): Route {
  const key = (parentKey ? parentKey + "/" : "") + matchersString(cfg.matchers);
  return { cfg, key, children: cfg.routes.map((c) => buildRoute(c, key)) };
}

/** The routes an alert with `labels` is dispatched to. */
export function matchRoutes(r: Route, labels: Readonly<Record<string, string>>): Route[] {
  for (const m of r.cfg.matchers) if (!m.matches(labels[m.name] ?? "")) return [];
  const all: Route[] = [];
  for (const c of r.children) {
    const m = matchRoutes(c, labels);
    all.push(...m);
    if (m.length && !c.cfg.continue) break;
  }
  return all.length ? all : [r];
}

/** Prints a label set as prometheus/common's LabelSet.String(): `{a="1", b="2"}`. */
export function labelSetString(ls: Readonly<Record<string, string>>): string {
  return "{" + Object.keys(ls).sort().map((k) => `${k}=${JSON.stringify(ls[k])}`).join(", ") + "}";
}

/** The group labels of an alert for a route (all labels for `group_by: ['...']`). */
export function groupLabels(r: Route, labels: Readonly<Record<string, string>>): Record<string, string> {
  if (r.cfg.groupBy === null) return { ...labels };
  const out: Record<string, string> = {};
  for (const n of r.cfg.groupBy) if (labels[n]) out[n] = labels[n];
  return out;
}
