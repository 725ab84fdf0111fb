/**
 * @module core/template/prom-funcs
 * The query-related functions Prometheus adds to alert templates: query, first, label, value, strvalue,
 * sortByLabel, args, pathPrefix, externalURL, graphLink, tableLink. The query function is injected, so
 * templates never import the PromQL engine.
 */
import type { Labels } from "../model/labels.ts";
import type { TemplateFunc } from "./exec.ts";
import { queryEscape } from "./funcs.ts";
import { formatV } from "./go-fmt.ts";

/** One element of a query result as templates see it (Go's `sample{Labels, Value}`). */
export interface TemplateSample {
  Labels: Record<string, string>;
  Value: number;
}

/** An instant-vector element as the injected query function returns it. */
export interface QuerySample {
  labels: Labels;
  /** Sample value. */
  value: number;
}

/** Runs an instant query at the evaluation time. */
export type TemplateQueryFunc = (query: string) => Promise<QuerySample[]>;

/** Options of {@link promQueryFuncs}. */
export interface PromFuncOptions {
  /** Runs `query` at the template's evaluation time; absent → `query` fails with a clear error. */
  query?: TemplateQueryFunc;
  /** --web.external-url (absolute URL). */
  externalURL: string;
}

function sample(x: unknown): TemplateSample {
  if (!x || typeof x !== "object" || !("Labels" in x)) throw new Error(`expected a sample, got ${formatV(x)}`);
  return x as TemplateSample;
}

/** Prometheus's GraphLinkForExpression. */
export function graphLink(expr: string): string {
  return `/graph?g0.expr=${queryEscape(expr)}&g0.tab=0`;
}

/** Prometheus's TableLinkForExpression. */
export function tableLink(expr: string): string {
  return `/graph?g0.expr=${queryEscape(expr)}&g0.tab=1`;
}

/** The query-related Prometheus template functions. */
export function promQueryFuncs(opts: PromFuncOptions): Map<string, TemplateFunc> {
  let path = "";
  try {
    path = new URL(opts.externalURL).pathname.replace(/\/$/, "");
  } catch {
    path = "";
  }
  return new Map<string, TemplateFunc>([
    ["query", async (q: unknown) => {
      if (!opts.query) throw new Error("query is not available in this template");
      const res = await opts.query(String(q));
      return res.map((s): TemplateSample => ({ Labels: s.labels.toObject(), Value: s.value }));
    }],
    ["first", (v: unknown) => {
      if (Array.isArray(v) && v.length > 0) return v[0];
      throw new Error("first() called on vector with no elements");
    }],
    ["label", (name: unknown, s: unknown) => sample(s).Labels[String(name)] ?? ""],
    ["value", (s: unknown) => sample(s).Value],
    ["strvalue", (s: unknown) => sample(s).Labels["__value__"] ?? ""],
    ["sortByLabel", (name: unknown, v: unknown) => {
      if (!Array.isArray(v)) throw new Error("sortByLabel expects a query result");
      const k = String(name);
      return [...v].sort((a, b) => {
        const x = sample(a).Labels[k] ?? "", y = sample(b).Labels[k] ?? "";
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }],
    ["args", (...a: unknown[]) => Object.fromEntries(a.map((x, i) => [`arg${i}`, x]))],
    ["pathPrefix", () => path],
    ["externalURL", () => opts.externalURL],
    ["graphLink", (e: unknown) => graphLink(String(e))],
    ["tableLink", (e: unknown) => tableLink(String(e))],
  ]);
}
