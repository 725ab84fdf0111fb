/**
 * @module core/promql/promqltest/runner
 * Runs promqltest scripts against the Engine over a MemoryStorage, as the upstream runner does:
 * loads append samples, `clear` starts a fresh store, each eval is checked against its expectations,
 * and every instant eval is also re-run with `@` pinned selectors at other times and in range mode
 * (FORMAT.md §5.5). Native histogram samples are not stored (float-only engine); evals expecting
 * histogram values are counted as failed and also reported as `unsupported`.
 */
import { readFileSync } from "node:fs";
import { compareLabels, Labels } from "../../model/labels.ts";
import { matchAll } from "../../model/matcher.ts";
import { MemoryStorage } from "../../storage/memory.ts";
import { Engine, type QueryResult } from "../engine/engine.ts";
import { walk, type Expr } from "../parser/ast.ts";
import { parseExpr } from "../parser/parser.ts";
import { formatExpr } from "../parser/printer.ts";
import { checkAnnotations, floatEqual, parseLabelSet } from "./compare.ts";
import { knownGap } from "./known-gaps.ts";
import { parseScript, type EvalCmd, type LoadCmd } from "./script.ts";
import { expandValues, parseTestNumber, splitSeriesLine } from "./values.ts";

/** The outcome of one file. */
export interface FileResult {
  file: string;
  passed: number;
  failed: number;
  /** Failed evals that need native histograms. */
  unsupported: number;
  /** Failed evals listed in known-gaps.ts. */
  known: number;
  failures: string[];
}

/** Runner options. */
export interface RunOptions {
  /** Run the extra @-variant and range-mode checks (default true). */
  extraChecks?: boolean;
}

/** Creates the engine configured as the upstream suite's (FORMAT.md §2). */
export function newTestEngine(): Engine {
  return new Engine({
    lookbackDeltaMs: 300_000,
    timeoutMs: 100_000,
    maxSamples: 50_000_000,
    enableExperimentalFunctions: true,
    features: { delayedNameRemoval: true },
    defaultEvaluationIntervalMs: 60_000,
  });
}

const TIME_FUNCS = new Set(["time", "timestamp", "predict_linear", "minute", "hour", "day_of_week", "day_of_month",
  "day_of_year", "days_in_month", "month", "year", "start", "end", "range", "step"]);

class EvalFailure extends Error {}

/** Runs one script file. */
export async function runFile(file: string, opts: RunOptions = {}): Promise<FileResult> {
  const res: FileResult = { file, passed: 0, failed: 0, unsupported: 0, known: 0, failures: [] };
  const cmds = parseScript(readFileSync(file, "utf8"));
  const engine = newTestEngine();
  let store = new MemoryStorage();
  let histSeries = new Set<string>();
  let histLabels: Labels[] = [];
  for (const c of cmds) {
    if (c.type === "clear") {
      store = new MemoryStorage();
      histSeries = new Set();
      histLabels = [];
      continue;
    }
    if (c.type === "load") {
      try {
        await load(store, c, histSeries, histLabels);
      } catch (e) {
        res.failures.push(`line ${c.line}: load failed: ${(e as Error).message}`);
      }
      continue;
    }
    const needsHist = c.series.some((s) => s.includes("{{")) || evalTouchesHistograms(c, histSeries, histLabels);
    try {
      await runEval(engine, store, c, opts.extraChecks ?? true);
      res.passed++;
    } catch (e) {
      res.failed++;
      const gap = needsHist ? undefined : knownGap(file, c.line);
      if (needsHist) res.unsupported++;
      else if (gap) res.known++;
      const msg = e instanceof EvalFailure ? e.message : `unexpected: ${(e as Error).stack ?? e}`;
      res.failures.push(`line ${c.line}: ${c.text}\n    ${msg}${needsHist ? " [native histograms]" : gap ? ` [known gap: ${gap}]` : ""}`);
    }
  }
  return res;
}

function evalTouchesHistograms(c: EvalCmd, hist: Set<string>, histLabels: Labels[]): boolean {
  if (histLabels.length > 0) {
    try {
      let touches = false;
      walk(parseExpr(c.expr), (n) => {
        const vs = n.type === "VectorSelector" ? n : n.type === "MatrixSelector" ? n.vs : null;
        if (vs && histLabels.some((l) => matchAll(vs.matchers, l))) touches = true;
      });
      if (touches) return true;
    } catch {
      // Unparsable expressions are reported by the eval itself.
    }
  }
  if (hist.size === 0) return false;
  for (const name of hist) {
    const re = new RegExp(`(^|[^a-zA-Z0-9_:])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^a-zA-Z0-9_:])`);
    if (re.test(c.expr)) return true;
  }
  return false;
}

async function load(store: MemoryStorage, c: LoadCmd, hist: Set<string>, histLabels: Labels[]): Promise<void> {
  const bySeries = new Map<string, { labels: Labels; samples: Array<[number, number | "stale"]> }>();
  for (const line of c.lines) {
    const [sel, vals] = splitSeriesLine(line);
    // Start-timestamp lines (`name{…}@st …`): the storage interface does not keep start timestamps.
    if (sel.endsWith("@st") || vals.startsWith("@st")) continue;
    const labels = parseLabelSet(sel);
    const samples: Array<[number, number | "stale"]> = [];
    expandValues(vals).forEach((v, k) => {
      if (v.kind === "float") samples.push([k * c.stepMs, v.v]);
      else if (v.kind === "stale") samples.push([k * c.stepMs, "stale"]);
      else if (v.kind === "histogram" && histLabels[histLabels.length - 1] !== labels) histLabels.push(labels);
    });
    bySeries.set(labels.key(), { labels, samples });
    const name = labels.get("__name__");
    if (c.nhcb) {
      const base = /^(.*)_(bucket|count|sum)$/.exec(name);
      if (base) hist.add(base[1]!);
    }
  }
  const app = store.appender();
  for (const { labels, samples } of bySeries.values()) {
    let ref = 0;
    for (const [t, v] of samples) {
      if (v === "stale") ref = app.appendStale ? app.appendStale(ref, labels, t) : app.append(ref, labels, t, NaN);
      else ref = app.append(ref, labels, t, v);
    }
  }
  await app.commit();
}

function fail(msg: string): never {
  throw new EvalFailure(msg);
}

async function runEval(engine: Engine, store: MemoryStorage, c: EvalCmd, extra: boolean): Promise<void> {
  const expectFail = c.expects.find((e) => e.kind === "fail");
  if (!c.instant) {
    const r = await query(engine, store, c.expr, () => engine.rangeQuery(store, c.expr, c.startMs, c.endMs, c.stepMs), c);
    if (r) checkRange(r, c);
    return;
  }
  const t = c.rangeVector ? c.rangeVector.toMs : c.atMs;
  const r = await query(engine, store, c.expr, () => engine.instantQuery(store, c.expr, t), c);
  if (!r) {
    if (expectFail && extra) await atVariants(engine, store, c, true);
    return;
  }
  checkInstant(r, c, t);
  if (!extra) return;
  await atVariants(engine, store, c, false);
  const skipRange = c.expects.some((e) => e.kind === "ordered") || c.rangeVector || c.expectString !== undefined ||
    /\b(start|end|range|step)\(\)/.test(c.expr);
  if (!skipRange) {
    let rr: QueryResult;
    try {
      rr = await engine.rangeQuery(store, c.expr, c.atMs - 60_000, c.atMs + 60_000, 60_000);
    } catch (e) {
      fail(`range-mode check failed: ${(e as Error).message}`);
    }
    checkRangeModeAt(rr, c, c.atMs);
  }
}

/** Runs a query and checks fail/annotation expectations. Returns null when it failed as expected. */
async function query(engine: Engine, _store: MemoryStorage, expr: string, run: () => Promise<QueryResult>, c: EvalCmd): Promise<QueryResult | null> {
  const expectFail = c.expects.find((e) => e.kind === "fail");
  let r: QueryResult;
  try {
    r = await run();
  } catch (e) {
    const msg = (e as Error).message;
    if (!expectFail) fail(`query ${JSON.stringify(expr)} failed: ${msg}`);
    if (expectFail.msg !== undefined && msg !== expectFail.msg) fail(`expected error ${JSON.stringify(expectFail.msg)}, got ${JSON.stringify(msg)}`);
    if (expectFail.regex !== undefined && !new RegExp(expectFail.regex).test(msg)) fail(`error ${JSON.stringify(msg)} does not match /${expectFail.regex}/`);
    return null;
  }
  if (expectFail) fail(`expected query ${JSON.stringify(expr)} to fail, got ${r.resultType} result`);
  const w = checkAnnotations("warn", r.warnings, c.expects);
  if (w) fail(w);
  const i = checkAnnotations("info", r.infos, c.expects);
  if (i) fail(i);
  void engine;
  return r;
}

function labelsStr(l: Labels): string {
  return l.toString() || "{}";
}

function checkInstant(r: QueryResult, c: EvalCmd, t: number): void {
  if (c.expectString !== undefined) {
    if (r.resultType !== "string") fail(`expected string result, got ${r.resultType}`);
    if (r.result.v !== c.expectString) fail(`expected string ${JSON.stringify(c.expectString)}, got ${JSON.stringify(r.result.v)}`);
    return;
  }
  if (c.scalar !== undefined) {
    if (r.resultType !== "scalar") fail(`expected scalar result, got ${r.resultType}`);
    const want = parseTestNumber(c.scalar);
    if (want === null || !floatEqual(want, r.result.v)) fail(`expected scalar ${c.scalar}, got ${r.result.v}`);
    return;
  }
  if (c.rangeVector) {
    if (r.resultType !== "matrix") fail(`expected range vector result, got ${r.resultType}`);
    compareMatrix(r.result.map((s) => ({ labels: s.metric, ts: s.timestamps, vs: s.values })), c, c.rangeVector.fromMs, c.rangeVector.stepMs);
    return;
  }
  if (r.resultType === "scalar") fail(`expected vector result, got scalar ${r.result.v}`);
  if (r.resultType !== "vector") fail(`expected vector result, got ${r.resultType}`);
  const ordered = c.expects.some((e) => e.kind === "ordered");
  const exp = c.series.map((line) => {
    const [sel, vals] = splitSeriesLine(line);
    const v = expandValues(vals);
    if (v.length !== 1) fail(`expected exactly one value in instant expectation ${line}`);
    if (v[0]!.kind === "histogram") fail(`histogram expectations are not supported: ${line}`);
    const first = v[0]!;
    return { labels: parseLabelSet(sel), v: first.kind === "float" ? first.v : NaN };
  });
  if (exp.length !== r.result.length) {
    fail(`expected ${exp.length} series, got ${r.result.length}: ${r.result.map((s) => `${labelsStr(s.metric)} ${s.v}`).join(", ")}`);
  }
  const got = new Map(r.result.map((s, i) => [s.metric.key(), { s, i }]));
  exp.forEach((e, k) => {
    const g = got.get(e.labels.key());
    if (!g) fail(`expected series ${labelsStr(e.labels)} not found; got ${r.result.map((s) => labelsStr(s.metric)).join(", ")}`);
    if (!floatEqual(e.v, g.s.v)) fail(`series ${labelsStr(e.labels)}: expected ${e.v}, got ${g.s.v}`);
    if (ordered && g.i !== k) fail(`series ${labelsStr(e.labels)} at position ${g.i}, expected ${k}`);
    if (g.s.t !== t) fail(`series ${labelsStr(e.labels)}: timestamp ${g.s.t}, expected ${t}`);
  });
}

function compareMatrix(result: Array<{ labels: Labels; ts: Float64Array; vs: Float64Array }>, c: EvalCmd, start: number, step: number): void {
  for (let i = 1; i < result.length; i++) {
    if (compareLabels(result[i - 1]!.labels, result[i]!.labels) >= 0) fail("matrix result is not sorted by labels");
  }
  const exp = c.series.map((line) => {
    const [sel, vals] = splitSeriesLine(line);
    const pts: Array<[number, number]> = [];
    expandValues(vals).forEach((v, k) => {
      if (v.kind === "histogram") fail(`histogram expectations are not supported: ${line}`);
      if (v.kind === "float") pts.push([start + k * step, v.v]);
      if (v.kind === "stale") pts.push([start + k * step, NaN]);
    });
    return { labels: parseLabelSet(sel), pts };
  });
  if (exp.length !== result.length) {
    fail(`expected ${exp.length} series, got ${result.length}: ${result.map((s) => `${labelsStr(s.labels)} [${Array.from(s.vs).join(" ")}]@[${Array.from(s.ts).map((x) => x / 1000).join(" ")}]`).join("; ")}`);
  }
  const got = new Map(result.map((s) => [s.labels.key(), s]));
  for (const e of exp) {
    const g = got.get(e.labels.key());
    if (!g) fail(`expected series ${labelsStr(e.labels)} not found; got ${result.map((s) => labelsStr(s.labels)).join(", ")}`);
    const gp = Array.from(g.ts, (t, i) => `${t / 1000}:${g.vs[i]}`).join(" ");
    if (g.ts.length !== e.pts.length) fail(`series ${labelsStr(e.labels)}: expected ${e.pts.length} points, got ${g.ts.length} (${gp})`);
    e.pts.forEach(([t, v], i) => {
      if (g.ts[i] !== t || !floatEqual(v, g.vs[i]!)) {
        fail(`series ${labelsStr(e.labels)}: expected ${v}@${t / 1000}, got ${g.vs[i]}@${g.ts[i]! / 1000} (${gp})`);
      }
    });
  }
}

function checkRange(r: QueryResult, c: EvalCmd): void {
  if (c.scalar !== undefined) fail("scalar expectation in a range eval");
  if (r.resultType !== "matrix") fail(`expected matrix result, got ${r.resultType}`);
  compareMatrix(r.result.map((s) => ({ labels: s.metric, ts: s.timestamps, vs: s.values })), c, c.startMs, c.stepMs);
}

function checkRangeModeAt(r: QueryResult, c: EvalCmd, t: number): void {
  if (r.resultType !== "matrix") fail(`range-mode check: expected matrix, got ${r.resultType}`);
  for (let i = 1; i < r.result.length; i++) {
    if (compareLabels(r.result[i - 1]!.metric, r.result[i]!.metric) >= 0) fail("range-mode check: matrix result is not sorted by labels");
  }
  const at: QueryResult = c.scalar !== undefined
    ? { resultType: "scalar", result: { t, v: pointAt(r.result[0], t) ?? NaN }, warnings: [], infos: [] }
    : {
      resultType: "vector",
      result: r.result.flatMap((s) => {
        const v = pointAt(s, t);
        return v === undefined ? [] : [{ metric: s.metric, t, v }];
      }),
      warnings: [], infos: [],
    };
  try {
    checkInstant(at, c, t);
  } catch (e) {
    fail(`range-mode check: ${(e as Error).message}`);
  }
}

function pointAt(s: { timestamps: Float64Array; values: Float64Array } | undefined, t: number): number | undefined {
  if (!s) return undefined;
  const i = s.timestamps.indexOf(t);
  return i < 0 ? undefined : s.values[i];
}

/** Adds `@ t` to every selector/subquery lacking one (not inside subqueries that have one). */
function pinAt(e: Expr, t: number): Expr {
  const copy = structuredCloneExpr(e);
  const visit = (n: Expr): boolean | void => {
    if (n.type === "VectorSelector" && !n.at) n.at = { kind: "time", ms: t };
    if (n.type === "MatrixSelector" && !n.vs.at) n.vs.at = { kind: "time", ms: t };
    if (n.type === "SubqueryExpr") {
      if (!n.at) n.at = { kind: "time", ms: t };
      return false;
    }
  };
  walk(copy, visit);
  return copy;
}

function structuredCloneExpr(e: Expr): Expr {
  // Matchers hold compiled regexes; clone structurally but share matcher objects (immutable).
  const clone = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(clone);
    if (x && typeof x === "object" && x.constructor === Object) {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) o[k] = k === "matchers" ? v : clone(v);
      return o;
    }
    return x;
  };
  return clone(e) as Expr;
}

async function atVariants(engine: Engine, store: MemoryStorage, c: EvalCmd, expectFail: boolean): Promise<void> {
  if (c.rangeVector) return;
  let ast: Expr;
  try {
    ast = parseExpr(c.expr);
  } catch {
    return;
  }
  let timeDependent = false;
  walk(ast, (n) => {
    if (n.type === "Call" && TIME_FUNCS.has(n.func)) timeDependent = true;
    if ((n.type === "VectorSelector" || n.type === "SubqueryExpr") && n.at && n.at.kind !== "time") timeDependent = true;
    if (n.type === "MatrixSelector" && n.vs.at && n.vs.at.kind !== "time") timeDependent = true;
  });
  if (timeDependent) return;
  const t = c.atMs;
  const q = formatExpr(pinAt(ast, t));
  const times = t === 0 ? [-1000, 0, 1000] : [-10 * t, 0, Math.trunc(t / 5), t, 10 * t];
  for (const at of times) {
    let r: QueryResult;
    try {
      r = await engine.instantQuery(store, q, at);
    } catch (e) {
      if (expectFail) continue;
      fail(`@-variant ${JSON.stringify(q)} at ${at / 1000}s failed: ${(e as Error).message}`);
    }
    if (expectFail) fail(`@-variant ${JSON.stringify(q)} at ${at / 1000}s should fail`);
    // Annotations of the rewritten query may shift columns; only presence/absence rules are re-checked.
    try {
      checkInstant(shiftTime(r, t), c, t);
    } catch (e) {
      fail(`@-variant ${JSON.stringify(q)} at ${at / 1000}s: ${(e as Error).message}`);
    }
  }
}

function shiftTime(r: QueryResult, t: number): QueryResult {
  if (r.resultType === "vector") return { ...r, result: r.result.map((s) => ({ ...s, t })) };
  if (r.resultType === "scalar") return { ...r, result: { t, v: r.result.v } };
  return r;
}

export { Labels };
