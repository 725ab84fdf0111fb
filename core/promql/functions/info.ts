/**
 * @module core/promql/functions/info
 * The experimental `info(v, [data-label-selector])` function: enriches each series of `v` with the data
 * labels of the info series (by default `target_info`) that share its identifying labels (`instance`,
 * `job`, as far as the series has them). The evaluator fetches the candidate info series at the base
 * samples' reference time (same `@`/offset) and passes them valued with their sample timestamps (s).
 * Rules, as in Prometheus: base series that are themselves info series (match every `__name__`
 * matcher, at least one of them positive) pass unchanged; per info metric the newest sample wins (a
 * tie is an error); the same label from two info metrics with different values is a `conflicting
 * label` error; labels already on the base series are kept; with data-label matchers only those
 * labels are added, and a base sample with no matching info series is dropped unless every data
 * matcher accepts the empty string.
 */
import { METRIC_NAME } from "../../model/labels.ts";
import type { Matcher } from "../../model/matcher.ts";
import { ExecutionError } from "../engine/errors.ts";
import { labelsString, mergeSameLabels } from "../engine/labels-util.ts";
import { newStepSeries, type StepSeries } from "../engine/types.ts";
import { vectorArg, type FunctionImpl } from "./types.ts";

/** The labels that identify which info series belongs to a series. */
export const INFO_IDENTIFYING_LABELS = ["instance", "job"];

function idSig(s: StepSeries): string {
  return INFO_IDENTIFYING_LABELS.map((l) => (s.labels.has(l) ? `${l}=${s.labels.get(l)}` : "")).join("\xff");
}

const info: FunctionImpl = (a) => {
  const v = vectorArg(a, 0);
  const infos = a.args.length > 1 ? vectorArg(a, 1) : null;
  if (!infos) throw new ExecutionError("info() needs its info series");
  const n = a.grid.n;
  const sel = a.call.args[1];
  const selMatchers: Matcher[] = sel && sel.type === "VectorSelector" ? sel.matchers : [];
  const nameMatchers = selMatchers.length || sel ? selMatchers.filter((m) => m.name === METRIC_NAME) : [];
  const effectiveName = sel ? nameMatchers : [];
  const dataMatchers = selMatchers.filter((m) => m.name !== METRIC_NAME);
  const dataNames = new Set(dataMatchers.map((m) => m.name));
  const allAcceptEmpty = dataMatchers.every((m) => m.matches(""));
  const ignore = (s: StepSeries): boolean => {
    const name = s.labels.get(METRIC_NAME);
    if (!sel) return name === "target_info";
    if (!effectiveName.some((m) => m.type === "=" || m.type === "=~")) return false;
    return effectiveName.every((m) => m.matches(name));
  };
  // Info series grouped by metric name, then by identifying-label signature.
  const byName = new Map<string, StepSeries[]>();
  for (const s of infos.series) {
    const name = s.labels.get(METRIC_NAME);
    const list = byName.get(name);
    if (list) list.push(s);
    else byName.set(name, [s]);
  }
  const out: StepSeries[] = [];
  const outByKey = new Map<string, StepSeries>();
  const emit = (s: StepSeries, labels: StepSeries["labels"], i: number) => {
    const k = (s.dropName ? "1" : "0") + labels.key();
    let r = outByKey.get(k);
    if (!r) {
      r = newStepSeries(labels, n, s.dropName);
      outByKey.set(k, r);
      out.push(r);
    }
    if (r.has[i]) throw new ExecutionError("vector cannot contain metrics with the same labelset");
    r.vals[i] = s.vals[i]!;
    r.has[i] = 1;
  };
  for (const s of v.series) {
    a.ctx.check();
    if (ignore(s)) {
      out.push(s);
      continue;
    }
    const sig = idSig(s);
    const hasId = INFO_IDENTIFYING_LABELS.some((l) => s.labels.has(l));
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      const added = new Map<string, string>();
      let matched = false;
      if (hasId) {
        for (const list of byName.values()) {
          // Newest sample per (info metric, identifying labels) wins.
          let best: StepSeries | null = null;
          for (const c of list) {
            if (!c.has[i] || idSig(c) !== sig) continue;
            if (!best || c.vals[i]! > best.vals[i]!) best = c;
            else if (c.vals[i] === best.vals[i]) {
              throw new ExecutionError(`found duplicate series for info metric: existing ${labelsString(best.labels)} @ ${best.vals[i]! * 1000}, new ${labelsString(c.labels)} @ ${c.vals[i]! * 1000}`);
            }
          }
          if (!best) continue;
          matched = true;
          best.labels.forEach((ln, lv) => {
            if (ln === METRIC_NAME) return;
            if (dataNames.size > 0 && !dataNames.has(ln)) return;
            const prev = added.get(ln);
            if (prev !== undefined && prev !== lv) throw new ExecutionError(`conflicting label: ${ln}`);
            if (s.labels.has(ln)) return;
            added.set(ln, lv);
          });
        }
      }
      if (!matched && !allAcceptEmpty) continue;
      const b = s.labels.builder();
      for (const [ln, lv] of added) b.set(ln, lv);
      emit(s, b.labels(), i);
    }
  }
  return { kind: "vector", series: mergeSameLabels(out) };
};

/** Info implementations by name. */
export const INFO_FUNCTIONS: Record<string, FunctionImpl> = { info };
