/**
 * @module core/api/v1/series
 * The metadata-by-series area: /api/v1/labels, /api/v1/label/<name>/values and /api/v1/series, reading
 * the store's Querier over [start, end] (defaults: Prometheus's min/max time sentinels) for each
 * `match[]` set, merging the answers, applying `limit` (with the warning "results truncated due to
 * limit"), with Prometheus's messages (`no match[] parameter provided`, `invalid label name: "…"`).
 */
import { Elysia } from "elysia";
import { compareLabels, type Labels } from "../../model/labels.ts";
import type { Matcher } from "../../model/matcher.ts";
import { BadDataError } from "../../util/errors.ts";
import type { Querier, SelectHints } from "../../storage/interface.ts";
import { ApiError } from "../errors.ts";
import { mount, type ApiOutcome, type MountOptions } from "./envelope.ts";
import { byteOrder } from "./json.ts";
import { invalidParam, limitParam, MAX_TIME_MS, MIN_TIME_MS, parseMatchersParam, timeParam, type Params } from "./params.ts";
import type { ApiV1Deps } from "./types.ts";

const TRUNCATED = "results truncated due to limit";

/** Builds the series area (`api-v1-series`). */
export function seriesApi(deps: ApiV1Deps, o: MountOptions = {}) {
  const prefix = `${deps.routePrefix ?? ""}/api/v1`;
  let app = new Elysia({ name: "api-v1-series", prefix });
  app = mount(app, ["GET", "POST"], "/labels", (p) => labelNames(deps, p), o);
  app = mount(app, ["GET", "POST"], "/label/:name/values", (p) => labelValues(deps, p), o);
  app = mount(app, ["GET", "POST"], "/series", (p) => series(deps, p), o);
  // Prometheus routes DELETE /series and answers that it is not implemented (use admin/tsdb/delete_series).
  app = mount(app, ["DELETE"], "/series", async () => ({ error: new ApiError("internal", "not implemented") }), o);
  return app;
}

interface Common {
  limit: number;
  start: number;
  end: number;
  sets: Matcher[][];
}

function common(p: Params): Common {
  const limit = limitParam(p);
  const start = timeParam(p, "start", MIN_TIME_MS);
  const end = timeParam(p, "end", MAX_TIME_MS);
  const sets = parseMatchersParam(p.getAll("match[]"));
  return { limit, start, end, sets };
}

/** Prometheus asks the store for one more than the limit so it can tell whether it truncated. */
function hints(c: Common, func?: string): SelectHints {
  return { start: c.start, end: c.end, limit: c.limit > 0 ? c.limit + 1 : 0, func };
}

async function withQuerier(deps: ApiV1Deps, c: Common, fn: (q: Querier) => Promise<ApiOutcome>): Promise<ApiOutcome> {
  let q: Querier;
  try {
    q = await deps.queryable.querier(c.start, c.end);
  } catch (e) {
    return { error: e, fallback: "execution" };
  }
  try {
    return await fn(q);
  } catch (e) {
    return { error: e, fallback: "execution" };
  } finally {
    q.close();
  }
}

/** Sorted union of string lists, truncated to `limit` (0 = none). */
function finish(lists: string[][], limit: number): ApiOutcome {
  const set = new Set<string>();
  for (const l of lists) for (const v of l) set.add(v);
  let out = [...set].sort(byteOrder);
  const warnings: string[] = [];
  if (limit > 0 && out.length > limit) {
    out = out.slice(0, limit);
    warnings.push(TRUNCATED);
  }
  return { data: out, warnings };
}

async function labelNames(deps: ApiV1Deps, p: Params): Promise<ApiOutcome> {
  const c = common(p);
  return withQuerier(deps, c, async (q) => {
    const sets = c.sets.length > 0 ? c.sets : [[]];
    const lists = await Promise.all(sets.map((ms) => q.labelNames(ms, hints(c))));
    return finish(lists, c.limit);
  });
}

async function labelValues(deps: ApiV1Deps, p: Params): Promise<ApiOutcome> {
  let name = p.path["name"] ?? "";
  if (name.startsWith("U__")) name = unescapeName(name);
  if (name === "" || !isWellFormed(name)) throw new BadDataError(`invalid label name: ${JSON.stringify(name)}`);
  const c = common(p);
  return withQuerier(deps, c, async (q) => {
    const sets = c.sets.length > 0 ? c.sets : [[]];
    const lists = await Promise.all(sets.map((ms) => q.labelValues(name, ms, hints(c))));
    return finish(lists, c.limit);
  });
}

async function series(deps: ApiV1Deps, p: Params): Promise<ApiOutcome> {
  const selectors = p.getAll("match[]");
  if (selectors.length === 0) throw new BadDataError("no match[] parameter provided");
  const limit = limitParam(p);
  const start = timeParam(p, "start", MIN_TIME_MS);
  const end = timeParam(p, "end", MAX_TIME_MS);
  let sets: Matcher[][];
  try {
    sets = parseMatchersParam(selectors);
  } catch (e) {
    throw invalidParam("match[]", e);
  }
  const c: Common = { limit, start, end, sets };
  return withQuerier(deps, c, async (q) => {
    const results = await Promise.all(sets.map((ms) => q.select(ms, hints(c, "series"))));
    const byKey = new Map<string, Labels>();
    const warnings: string[] = [];
    for (const r of results) {
      warnings.push(...r.warnings);
      for (const s of r.series) byKey.set(s.labels.key(), s.labels);
    }
    let out = [...byKey.values()].sort(compareLabels);
    if (limit > 0 && out.length > limit) {
      out = out.slice(0, limit);
      warnings.push(TRUNCATED);
    }
    return { data: out, warnings };
  });
}

function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/**
 * Undoes Prometheus's "U__" value-encoding escape of label names (`__` is `_`, `_<hex>_` a code point).
 * Returns the input unchanged when it is not a valid escape, as Prometheus does.
 */
export function unescapeName(s: string): string {
  if (!s.startsWith("U__")) return s;
  const body = s.slice(3);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "_") {
      out += ch;
      continue;
    }
    if (body[i + 1] === "_") {
      out += "_";
      i++;
      continue;
    }
    const close = body.indexOf("_", i + 1);
    if (close < 0) return s;
    const hex = body.slice(i + 1, close);
    if (!/^[0-9A-Fa-f]+$/.test(hex)) return s;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) return s;
    out += String.fromCodePoint(cp);
    i = close;
  }
  return out;
}
