/**
 * @module core/promql/functions/info
 * The experimental `info(v, [data-label-selector])` function: enriches each series with the data
 * labels of matching info series (by default `target_info`), joined on the identifying labels
 * `instance` and `job`. The info series are fetched by the evaluator (see eval.ts, which passes them
 * as the second argument).
 */
import { METRIC_NAME, type Labels } from "../../model/labels.ts";
import { ExecutionError } from "../engine/errors.ts";
import { mergeSameLabels } from "../engine/labels-util.ts";
import { newStepSeries, type StepSeries } from "../engine/types.ts";
import { vectorArg, type FunctionImpl } from "./types.ts";

/** The labels that identify which info series belongs to a series. */
export const INFO_IDENTIFYING_LABELS = ["instance", "job"];

const info: FunctionImpl = (a) => {
  const v = vectorArg(a, 0);
  const infos = a.args.length > 1 ? vectorArg(a, 1) : null;
  if (!infos) throw new ExecutionError("info() needs its info series");
  const n = a.grid.n;
  const byId = new Map<string, StepSeries[]>();
  for (const s of infos.series) {
    const id = INFO_IDENTIFYING_LABELS.map((l) => s.labels.get(l)).join("\xff");
    const list = byId.get(id);
    if (list) list.push(s);
    else byId.set(id, [s]);
  }
  const out: StepSeries[] = [];
  for (const s of v.series) {
    const name = s.labels.get(METRIC_NAME);
    if (name === "target_info" || !INFO_IDENTIFYING_LABELS.every((l) => s.labels.has(l))) {
      out.push(s);
      continue;
    }
    const id = INFO_IDENTIFYING_LABELS.map((l) => s.labels.get(l)).join("\xff");
    const cands = byId.get(id) ?? [];
    const byLabels = new Map<string, StepSeries>();
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      const b = s.labels.builder();
      const seen = new Set<string>();
      for (const c of cands) {
        if (!c.has[i]) continue;
        c.labels.forEach((ln, lv) => {
          if (ln === METRIC_NAME || INFO_IDENTIFYING_LABELS.includes(ln)) return;
          if (s.labels.has(ln)) return;
          if (seen.has(ln) && b.get(ln) !== lv) {
            throw new ExecutionError(`found duplicate series for info metric: existing ${c.labels.toString()}`);
          }
          seen.add(ln);
          b.set(ln, lv);
        });
      }
      const ls: Labels = b.labels();
      let r = byLabels.get(ls.key());
      if (!r) {
        r = newStepSeries(ls, n, s.dropName);
        byLabels.set(ls.key(), r);
        out.push(r);
      }
      r.vals[i] = s.vals[i]!;
      r.has[i] = 1;
    }
  }
  return { kind: "vector", series: mergeSameLabels(out) };
};

/** Info implementations by name. */
export const INFO_FUNCTIONS: Record<string, FunctionImpl> = { info };
