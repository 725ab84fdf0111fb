/**
 * Property: writing random metric families and parsing the output gives back the same samples (names,
 * labels with arbitrary values including escapes and non-ASCII, values including NaN/±Inf/-0,
 * timestamps, exemplars) and metadata, for both text 0.0.4 and OpenMetrics.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { parseToFamilies, writeOpenMetrics, writeText } from "../../../core/exposition/index.ts";
import type { ExposedSample, MetricFamily, MetricType } from "../../../core/model/metric-family.ts";

const legacyTail = fc.string({ unit: fc.constantFrom(..."abcxyz_:019ABZ".split("")), maxLength: 8 });
const utf8Tail = fc.string({ unit: fc.constantFrom(..."a.-é😀 /z".split("")), minLength: 1, maxLength: 6 });
const nameTail = fc.oneof({ weight: 4, arbitrary: legacyTail }, { weight: 1, arbitrary: utf8Tail });

const labelName = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,6}$/) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."a.-é😀 z".split("")), minLength: 1, maxLength: 5 }) },
).filter((n) => !n.startsWith("__"));

const tricky = fc.constantFrom("\\", '"', "\n", "{", "}", ",", "=", " ", "#", "\t", "\\n", "é", "😀", "\\\\\"");
const labelValue = fc.oneof(fc.string({ maxLength: 8 }), fc.array(fc.oneof(tricky, fc.string({ maxLength: 3 })), { maxLength: 5 }).map((a) => a.join("")));

const labels = fc.uniqueArray(fc.tuple(labelName, labelValue), { maxLength: 4, selector: (t) => t[0] }).map((pairs) => Object.fromEntries(pairs));

const value = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e6, 1.5e-7, 123456789),
  fc.integer({ min: -1e9, max: 1e9 }),
);
const timestamp = fc.option(fc.integer({ min: -1e12, max: 4e12 }), { nil: undefined });
const help = fc.option(fc.array(fc.oneof(tricky, fc.string({ maxLength: 4 })), { maxLength: 5 }).map((a) => a.join("")), { nil: undefined });

function withTs(s: ExposedSample, ts: number | undefined): ExposedSample {
  if (ts !== undefined) s.timestampMs = ts;
  return s;
}

/** A family of `type` named `base`, with samples whose names the type allows. */
function family(type: MetricType, om: boolean) {
  return fc.record({ tail: nameTail, help, samples: fc.array(fc.tuple(labels, value, timestamp), { minLength: 1, maxLength: 4 }) }).map(({ tail, help, samples }) => {
    // A per-family random prefix keeps family names apart (so no family claims another's samples).
    return (i: number): MetricFamily => {
      const name = `f${i}_${tail}`;
      const f: MetricFamily = { name, type, samples: [] };
      if (help !== undefined) f.help = help;
      for (const [ls, v, ts] of samples) {
        if (type === "counter") f.samples.push(withTs({ name: name + "_total", labels: ls, value: v }, ts));
        else if (type === "histogram") {
          f.samples.push(withTs({ name: name + "_bucket", labels: { ...ls, le: "0.5" }, value: v }, ts));
          f.samples.push(withTs({ name: name + "_bucket", labels: { ...ls, le: "+Inf" }, value: v }, ts));
          f.samples.push(withTs({ name: name + "_sum", labels: ls, value: v }, ts));
          f.samples.push(withTs({ name: name + "_count", labels: ls, value: v }, ts));
        } else if (type === "summary") {
          f.samples.push(withTs({ name, labels: { ...ls, quantile: "0.99" }, value: v }, ts));
          f.samples.push(withTs({ name: name + "_count", labels: ls, value: v }, ts));
        } else if (type === "info" && om) f.samples.push(withTs({ name: name + "_info", labels: ls, value: v }, ts));
        else f.samples.push(withTs({ name, labels: ls, value: v }, ts));
      }
      return f;
    };
  });
}

function families(types: MetricType[], om: boolean) {
  return fc.array(fc.constantFrom(...types).chain((t) => family(t, om)), { minLength: 1, maxLength: 5 }).map((makers) => makers.map((m, i) => m(i)));
}

const flat = (fs: MetricFamily[]) => fs.flatMap((f) => f.samples);

describe("write → parse round trip (property)", () => {
  test("text 0.0.4", () => {
    fc.assert(
      fc.property(families(["gauge", "counter", "untyped", "histogram", "summary"], false), (fams) => {
        const back = parseToFamilies(writeText(fams), "text", { normalizeFloatLabels: false });
        expect(flat(back)).toEqual(flat(fams));
        // HELP: the text format cannot keep leading blanks (they separate the name from the text).
        expect(back.map((f) => f.help)).toEqual(fams.map((f) => f.help?.replace(/^[ \t]+/, "")));
      }),
      { numRuns: 300 },
    );
  });

  test("OpenMetrics 1.0 (with exemplars on counters)", () => {
    const exemplar = fc.record({ labels: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z_]{1,5}$/), fc.string({ maxLength: 10 })), { maxLength: 3, selector: (t) => t[0] }).map((p) => Object.fromEntries(p)), value, ts: timestamp });
    fc.assert(
      fc.property(families(["gauge", "counter", "unknown", "histogram", "summary", "info", "stateset"], true), fc.array(exemplar, { maxLength: 4 }), (fams, exs) => {
        let k = 0;
        for (const f of fams) {
          if (f.type !== "counter") continue;
          for (const s of f.samples) {
            const ex = exs[k++];
            if (ex === undefined) continue;
            s.exemplar = { labels: ex.labels, value: ex.value };
            if (ex.ts !== undefined) s.exemplar.timestampMs = ex.ts;
          }
        }
        const back = parseToFamilies(writeOpenMetrics(fams), "openmetrics", { normalizeFloatLabels: false });
        expect(flat(back)).toEqual(flat(fams));
        expect(back.map((f) => [f.name, f.type, f.help])).toEqual(fams.map((f) => [f.name, f.type, f.help]));
      }),
      { numRuns: 300 },
    );
  });
});
