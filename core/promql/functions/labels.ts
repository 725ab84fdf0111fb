/**
 * @module core/promql/functions/labels
 * Functions that work on label sets or series order: label_replace, label_join, absent,
 * absent_over_time, sort, sort_desc, sort_by_label(_desc). Sorting only affects instant query output
 * (range results are always sorted by labels).
 */
import { compareLabels, Labels, METRIC_NAME } from "../../model/labels.ts";
import { compileAnchored } from "../../model/regex.ts";
import { ExecutionError } from "../engine/errors.ts";
import { isValidLabelName, mergeSameLabels } from "../engine/labels-util.ts";
import { newStepSeries, type StepSeries, type VectorValue } from "../engine/types.ts";
import type { Expr } from "../parser/ast.ts";
import { mapWindows, rangeArg, stringArg, vectorArg, type FunctionImpl } from "./types.ts";

/** Expands `$1`, `${1}`, `$name`, `${name}` and `$$` in a replacement template (Go regexp.Expand). */
export function expandTemplate(tmpl: string, m: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < tmpl.length; i++) {
    const c = tmpl[i]!;
    if (c !== "$" || i + 1 >= tmpl.length) {
      out += c;
      continue;
    }
    const nx = tmpl[i + 1]!;
    if (nx === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string;
    if (nx === "{") {
      const end = tmpl.indexOf("}", i + 2);
      const inner = end < 0 ? "" : tmpl.slice(i + 2, end);
      if (end < 0 || !/^[a-zA-Z0-9_]+$/.test(inner)) {
        out += c;
        continue;
      }
      name = inner;
      i = end;
    } else {
      const mm = /^[a-zA-Z0-9_]+/.exec(tmpl.slice(i + 1));
      if (!mm) {
        out += c;
        continue;
      }
      name = mm[0];
      i += name.length;
    }
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? "";
    else out += m.groups?.[name] ?? "";
  }
  return out;
}

const validLabelName = isValidLabelName;

const labelReplace: FunctionImpl = (a) => {
  const v = vectorArg(a, 0);
  const dst = stringArg(a, 1), repl = stringArg(a, 2), src = stringArg(a, 3), reStr = stringArg(a, 4);
  let re: RegExp;
  try {
    re = compileAnchored(reStr);
  } catch (e) {
    throw new ExecutionError(`invalid regular expression in label_replace(): ${reStr}`);
  }
  if (!validLabelName(dst)) throw new ExecutionError(`invalid destination label name in label_replace(): ${dst}`);
  const out: StepSeries[] = [];
  for (const s of v.series) {
    const m = re.exec(s.labels.get(src));
    if (!m) {
      out.push(s);
      continue;
    }
    const val = expandTemplate(repl, m);
    const labels = s.labels.builder().set(dst, val).labels();
    out.push({ ...s, labels, dropName: dst === METRIC_NAME ? false : s.dropName });
  }
  return { kind: "vector", series: mergeSameLabels(out) };
};

const labelJoin: FunctionImpl = (a) => {
  const v = vectorArg(a, 0);
  const dst = stringArg(a, 1), sep = stringArg(a, 2);
  const srcs: string[] = [];
  for (let i = 3; i < a.args.length; i++) {
    const s = stringArg(a, i);
    if (!validLabelName(s)) throw new ExecutionError(`invalid source label name in label_join(): ${s}`);
    srcs.push(s);
  }
  if (!validLabelName(dst)) throw new ExecutionError(`invalid destination label name in label_join(): ${dst}`);
  const out: StepSeries[] = v.series.map((s) => {
    const val = srcs.map((n) => s.labels.get(n)).join(sep);
    return { ...s, labels: s.labels.builder().set(dst, val).labels(), dropName: dst === METRIC_NAME ? false : s.dropName };
  });
  return { kind: "vector", series: mergeSameLabels(out) };
};

/** Labels `absent()` reports for a selector: its equality matchers (a label matched twice is dropped). */
export function absentLabels(e: Expr): Labels {
  const vs = e.type === "VectorSelector" ? e : e.type === "MatrixSelector" ? e.vs : null;
  if (!vs) return Labels.EMPTY;
  const b = Labels.EMPTY.builder();
  const seen = new Set<string>();
  for (const m of vs.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === "=" && !seen.has(m.name)) {
      b.set(m.name, m.value);
      seen.add(m.name);
    } else b.del(m.name);
  }
  return b.labels();
}

const absent: FunctionImpl = (a) => {
  const v = vectorArg(a, 0);
  const n = a.grid.n;
  const r = newStepSeries(absentLabels(a.call.args[0]!), n, false);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (v.series.some((s) => s.has[i])) continue;
    r.vals[i] = 1;
    r.has[i] = 1;
    any = true;
  }
  return { kind: "vector", series: any ? [r] : [] };
};

const absentOverTime: FunctionImpl = (a) => {
  const arg = rangeArg(a, 0);
  const present = mapWindows(arg, a.grid, a.ctx, () => 1);
  const node = a.call.args[0]!;
  return absent({ ...a, call: { ...a.call, args: [node] }, args: [present] });
};

/** Natural-order string compare (digit runs compared numerically). */
export function naturalCompare(x: string, y: string): number {
  const re = /(\d+|\D+)/g;
  const xa = x.match(re) ?? [], ya = y.match(re) ?? [];
  for (let i = 0; i < Math.min(xa.length, ya.length); i++) {
    const p = xa[i]!, q = ya[i]!;
    if (p === q) continue;
    const pd = /^\d/.test(p), qd = /^\d/.test(q);
    if (pd && qd) {
      const d = Number(p) - Number(q);
      if (d !== 0) return d < 0 ? -1 : 1;
      return p.length < q.length ? -1 : 1;
    }
    return p < q ? -1 : 1;
  }
  return xa.length - ya.length;
}

function sortByValue(desc: boolean): FunctionImpl {
  return (a) => {
    const v = vectorArg(a, 0);
    if (a.grid.n !== 1) return v;
    const out = [...v.series].sort((p, q) => {
      const x = p.vals[0]!, y = q.vals[0]!;
      if (x !== x) return y !== y ? 0 : 1;
      if (y !== y) return -1;
      return desc ? y - x : x - y;
    });
    return { kind: "vector", series: out };
  };
}

function sortByLabel(desc: boolean): FunctionImpl {
  return (a) => {
    const v = vectorArg(a, 0);
    const names: string[] = [];
    for (let i = 1; i < a.args.length; i++) names.push(stringArg(a, i));
    const out = [...v.series].sort((p, q) => {
      for (const n of names) {
        const c = naturalCompare(p.labels.get(n), q.labels.get(n));
        if (c !== 0) return desc ? -c : c;
      }
      const c = compareLabels(p.labels, q.labels);
      return desc ? -c : c;
    });
    return { kind: "vector", series: out } satisfies VectorValue;
  };
}

/** Label and ordering implementations by name. */
export const LABEL_FUNCTIONS: Record<string, FunctionImpl> = {
  label_replace: labelReplace,
  label_join: labelJoin,
  absent,
  absent_over_time: absentOverTime,
  sort: sortByValue(false),
  sort_desc: sortByValue(true),
  sort_by_label: sortByLabel(false),
  sort_by_label_desc: sortByLabel(true),
};
