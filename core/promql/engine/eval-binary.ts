/**
 * @module core/promql/engine/eval-binary
 * Binary operators: scalar/scalar, vector/scalar, vector/vector with one-to-one, many-to-one and
 * one-to-many matching, set operators (and, or, unless), the bool modifier and the experimental fill
 * modifiers. Matching signatures are computed once per series, not per step; duplicate checks run per
 * step with Prometheus's error messages. Arithmetic (and `bool`) marks results for name removal;
 * filtering comparisons keep the left-hand series' name.
 */
import { Labels, METRIC_NAME } from "../../model/labels.ts";
import { isComparison, isSetOperator, type BinaryExpr, type BinaryOp, type VectorMatching } from "../parser/ast.ts";
import { ExecutionError } from "./errors.ts";
import { isNameBound, labelsString, matchLabels, mergeSameLabels, signature } from "./labels-util.ts";
import { newStepSeries, type ScalarValue, type StepSeries, type VectorValue } from "./types.ts";

/** Go's math.Pow special cases that differ from JS `**`. */
function pow(a: number, b: number): number {
  if (b === 0) return 1;
  if (a === 1) return 1;
  if ((a === -1) && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** Applies an arithmetic operator. */
export function arith(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    case "/": return a / b;
    case "%": return a % b;
    case "^": return pow(a, b);
    case "atan2": return Math.atan2(a, b);
    default: throw new ExecutionError(`operator "${op}" not allowed for scalar operations`);
  }
}

/** Applies a comparison operator. */
export function compare(op: BinaryOp, a: number, b: number): boolean {
  switch (op) {
    case "==": return a === b;
    case "!=": return a !== b;
    case ">": return a > b;
    case "<": return a < b;
    case ">=": return a >= b;
    case "<=": return a <= b;
    default: throw new ExecutionError(`operator "${op}" is not a comparison`);
  }
}

/** scalar op scalar. */
export function scalarScalar(e: BinaryExpr, a: ScalarValue, b: ScalarValue): ScalarValue {
  const n = a.vals.length, out = new Float64Array(n);
  const cmp = isComparison(e.op);
  for (let i = 0; i < n; i++) {
    out[i] = cmp ? (compare(e.op, a.vals[i]!, b.vals[i]!) ? 1 : 0) : arith(e.op, a.vals[i]!, b.vals[i]!);
  }
  return { kind: "scalar", vals: out };
}

/** vector op scalar (or scalar op vector when `swap`). */
export function vectorScalar(e: BinaryExpr, v: VectorValue, s: ScalarValue, swap: boolean): VectorValue {
  const op = e.op;
  const cmp = isComparison(op);
  const out: StepSeries[] = [];
  for (const ser of v.series) {
    const n = ser.vals.length;
    const r = newStepSeries(ser.labels, n, cmp && !e.returnBool ? ser.dropName : true);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!ser.has[i]) continue;
      const x = ser.vals[i]!, y = s.vals[i]!;
      const a = swap ? y : x, b = swap ? x : y;
      if (cmp) {
        const ok = compare(op, a, b);
        if (e.returnBool) {
          r.vals[i] = ok ? 1 : 0;
        } else {
          if (!ok) continue;
          r.vals[i] = x;
        }
      } else {
        r.vals[i] = arith(op, a, b);
      }
      r.has[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return { kind: "vector", series: out };
}

function defaultMatching(e: BinaryExpr): VectorMatching {
  return e.matching ?? { card: isSetOperator(e.op) ? "many-to-many" : "one-to-one", on: false, explicit: false, labels: [], include: [] };
}

/** vector op vector. */
export function vectorVector(e: BinaryExpr, lhs: VectorValue, rhs: VectorValue, n: number): VectorValue {
  const m = defaultMatching(e);
  switch (e.op) {
    case "and": return andUnless(lhs, rhs, m, n, true);
    case "unless": return andUnless(lhs, rhs, m, n, false);
    case "or": return or(lhs, rhs, m, n);
    default: return matchOps(e, m, lhs, rhs, n);
  }
}

function presenceBySig(v: VectorValue, m: VectorMatching, n: number): Map<string, Uint8Array> {
  const map = new Map<string, Uint8Array>();
  for (const s of v.series) {
    const sig = signature(s.labels, m.on, m.labels);
    let p = map.get(sig);
    if (!p) map.set(sig, (p = new Uint8Array(n)));
    for (let i = 0; i < n; i++) p[i]! |= s.has[i]!;
  }
  return map;
}

function andUnless(lhs: VectorValue, rhs: VectorValue, m: VectorMatching, n: number, and: boolean): VectorValue {
  const rp = presenceBySig(rhs, m, n);
  const out: StepSeries[] = [];
  for (const s of lhs.series) {
    const p = rp.get(signature(s.labels, m.on, m.labels));
    const r = newStepSeries(s.labels, n, s.dropName);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      const matched = p ? p[i] === 1 : false;
      if (matched !== and) continue;
      r.vals[i] = s.vals[i]!;
      r.has[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return { kind: "vector", series: out };
}

function or(lhs: VectorValue, rhs: VectorValue, m: VectorMatching, n: number): VectorValue {
  const lp = presenceBySig(lhs, m, n);
  const out: StepSeries[] = [...lhs.series];
  for (const s of rhs.series) {
    const p = lp.get(signature(s.labels, m.on, m.labels));
    if (!p) {
      out.push(s);
      continue;
    }
    const r = newStepSeries(s.labels, n, s.dropName);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!s.has[i] || p[i]) continue;
      r.vals[i] = s.vals[i]!;
      r.has[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return { kind: "vector", series: mergeSameLabels(out) };
}

/** Result labels of a matched pair (many-side labels, include labels from the one side). */
function resultLabels(many: Labels, one: Labels, m: VectorMatching, dropName: boolean): Labels {
  const b = many.builder();
  if (m.card === "one-to-one") {
    if (m.on) b.keep(...m.labels);
    else b.del(...m.labels);
  }
  for (const ln of m.include) {
    const v = one.get(ln);
    if (v !== "") b.set(ln, v);
    else b.del(ln);
  }
  void dropName;
  return b.labels();
}

function matchOps(e: BinaryExpr, m: VectorMatching, lhs: VectorValue, rhs: VectorValue, n: number): VectorValue {
  const swap = m.card === "one-to-many";
  const many = swap ? rhs : lhs, one = swap ? lhs : rhs;
  const cmp = isComparison(e.op);
  const dropsName = !cmp || e.returnBool;
  const oneSide = swap ? "left" : "right";
  // Group the "one" side by signature.
  const oneBySig = new Map<string, StepSeries[]>();
  for (const s of one.series) {
    const sig = signature(s.labels, m.on, m.labels);
    const g = oneBySig.get(sig);
    if (g) g.push(s);
    else oneBySig.set(sig, [s]);
  }
  // Steps where the many side has any sample (duplicate checks only apply there).
  const manyAny = new Uint8Array(n);
  for (const s of many.series) for (let i = 0; i < n; i++) manyAny[i]! |= s.has[i]!;
  for (const g of oneBySig.values()) {
    if (g.length < 2) continue;
    for (let i = 0; i < n; i++) {
      if (!manyAny[i]) continue;
      let first: StepSeries | null = null;
      for (const s of g) {
        if (!s.has[i]) continue;
        if (first) {
          throw new ExecutionError(
            `found duplicate series for the match group ${labelsString(matchLabels(s.labels, m.on, m.labels))} on the ${oneSide} hand-side of the operation: [${labelsString(s.labels)}, ${labelsString(first.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
          );
        }
        first = s;
      }
    }
  }
  const outByKey = new Map<string, StepSeries>();
  const outList: StepSeries[] = [];
  // One-to-one: a signature may be matched once per step.
  const matchedOnce = m.card === "one-to-one" ? new Map<string, Uint8Array>() : null;
  // Operands are swapped for group_right; fill_left/fill_right follow the swapped sides.
  const fillOne = m.fillRight;
  const fillMany = m.fillLeft;
  const oneMatched = fillMany !== undefined ? new Map<StepSeries, Uint8Array>() : null;
  for (const ms of many.series) {
    const sig = signature(ms.labels, m.on, m.labels);
    const cands = oneBySig.get(sig) ?? [];
    const pairs: Array<StepSeries | null> = cands.length ? cands : fillOne !== undefined ? [null] : [];
    for (const os of pairs) {
      let target: StepSeries | null = null;
      for (let i = 0; i < n; i++) {
        if (!ms.has[i]) continue;
        let ov: number;
        if (os) {
          if (!os.has[i]) {
            if (fillOne === undefined || cands.some((c) => c.has[i])) continue;
            ov = fillOne;
          } else ov = os.vals[i]!;
        } else ov = fillOne!;
        if (os && os.has[i] && oneMatched) {
          let p = oneMatched.get(os);
          if (!p) oneMatched.set(os, (p = new Uint8Array(n)));
          p[i] = 1;
        }
        const mv = ms.vals[i]!;
        const a = swap ? ov : mv, b = swap ? mv : ov;
        let val: number;
        if (cmp) {
          const ok = compare(e.op, a, b);
          if (e.returnBool) val = ok ? 1 : 0;
          else if (!ok) continue;
          else val = mv;
        } else val = arith(e.op, a, b);
        if (matchedOnce) {
          let p = matchedOnce.get(sig);
          if (!p) matchedOnce.set(sig, (p = new Uint8Array(n)));
          if (p[i]) throw new ExecutionError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
          p[i] = 1;
        }
        if (!target) {
          const ls = resultLabels(ms.labels, os ? os.labels : Labels.EMPTY, m, dropsName);
          const key = (dropsName || ms.dropName ? "1" : "0") + ls.key();
          target = outByKey.get(key) ?? null;
          if (!target) {
            target = newStepSeries(ls, n, dropsName || ms.dropName);
            outByKey.set(key, target);
            outList.push(target);
          }
        }
        if (target.has[i]) {
          throw new ExecutionError(m.card === "one-to-one"
            ? "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
            : "multiple matches for labels: grouping labels must ensure unique matches");
        }
        target.vals[i] = val;
        target.has[i] = 1;
      }
    }
  }
  // Fill for unmatched series of the "one" side.
  if (fillMany !== undefined) {
    const manySigPresent = presenceBySig(many, m, n);
    for (const os of one.series) {
      const sig = signature(os.labels, m.on, m.labels);
      const mp = manySigPresent.get(sig);
      let target: StepSeries | null = null;
      for (let i = 0; i < n; i++) {
        if (!os.has[i] || (mp && mp[i])) continue;
        const ov = os.vals[i]!, mv = fillMany;
        const a = swap ? ov : mv, b = swap ? mv : ov;
        let val: number;
        if (cmp) {
          const ok = compare(e.op, a, b);
          if (e.returnBool) val = ok ? 1 : 0;
          else if (!ok) continue;
          else val = mv;
        } else val = arith(e.op, a, b);
        if (!target) {
          let ls = m.card === "one-to-one"
            ? resultLabels(os.labels, Labels.EMPTY, { ...m, include: [] }, dropsName)
            : matchLabels(os.labels, m.on, m.labels);
          if (!dropsName) ls = ls.filter((nm) => !isNameBound(nm));
          const key = (dropsName ? "1" : "0") + ls.key();
          target = outByKey.get(key) ?? null;
          if (!target) {
            target = newStepSeries(ls, n, dropsName);
            outByKey.set(key, target);
            outList.push(target);
          }
        }
        if (target.has[i]) throw new ExecutionError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
        target.vals[i] = val;
        target.has[i] = 1;
      }
    }
  }
  return { kind: "vector", series: outList };
}
