import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { compareLabels, Labels, LabelsBuilder } from "../../../core/model/labels.ts";

const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/);
const obj = fc.dictionary(name, fc.string({ maxLength: 8 }), { maxKeys: 8 });

describe("Labels", () => {
  test("from() sorts, drops empty values, and round-trips through toObject", () => {
    fc.assert(fc.property(obj, (o) => {
      const ls = Labels.from(o);
      const expected = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ""));
      expect(ls.toObject()).toEqual(expected);
      const names = ls.names();
      expect(names).toEqual([...names].sort());
      for (const [k, v] of Object.entries(expected)) expect(ls.get(k)).toBe(v);
    }));
  });

  test("key() and equals() agree, and compareLabels is a total order consistent with them", () => {
    fc.assert(fc.property(obj, obj, (a, b) => {
      const x = Labels.from(a), y = Labels.from(b);
      expect(x.key() === y.key()).toBe(x.equals(y));
      expect(compareLabels(x, y) === 0).toBe(x.equals(y));
      expect(Math.sign(compareLabels(x, y)) + Math.sign(compareLabels(y, x))).toBe(0);
    }));
  });

  test("builder set/del/keep produce what a plain object model produces", () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant("set" as const), n: name, v: fc.string({ maxLength: 4 }) }),
      fc.record({ k: fc.constant("del" as const), n: name }),
      fc.record({ k: fc.constant("keep" as const), ns: fc.array(name, { maxLength: 4 }) }),
    );
    fc.assert(fc.property(obj, fc.array(op, { maxLength: 10 }), (start, ops) => {
      const b = new LabelsBuilder(Labels.from(start));
      const model: Record<string, string> = Object.fromEntries(Object.entries(start).filter(([, v]) => v !== ""));
      for (const o of ops) {
        if (o.k === "set") {
          b.set(o.n, o.v);
          if (o.v === "") delete model[o.n];
          else model[o.n] = o.v;
        } else if (o.k === "del") {
          b.del(o.n);
          delete model[o.n];
        } else {
          b.keep(...o.ns);
          for (const k of Object.keys(model)) if (!o.ns.includes(k)) delete model[k];
        }
      }
      expect(b.labels().toObject()).toEqual(model);
    }));
  });

  test("toString renders like Prometheus", () => {
    expect(Labels.from({ __name__: "up", job: "a", instance: "x:1" }).toString()).toBe('up{instance="x:1", job="a"}');
    expect(Labels.from({ __name__: "up" }).toString()).toBe("up");
    expect(Labels.from({ a: 'q"' }).toString()).toBe('{a="q\\""}');
    expect(Labels.from({ __name__: "x", a: "b" }).withoutName().toObject()).toEqual({ a: "b" });
  });
});
