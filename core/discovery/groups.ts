/**
 * @module core/discovery/groups
 * Decoding of target group lists as file_sd and http_sd serve them (`[{targets: [...], labels: {...}}]`),
 * with Prometheus's checks: targets are strings, label names valid, label values strings.
 */
import { LABEL_NAME_RE, scalarString } from "../util/config-check.ts";
import type { TargetGroup } from "./types.ts";

/**
 * Decodes a parsed JSON/YAML document into target groups whose sources are `${sourcePrefix}:${index}`
 * and whose common labels get `extraLabels`. Throws Error with a descriptive message on bad content.
 */
export function decodeTargetGroups(doc: unknown, sourcePrefix: string, extraLabels: Record<string, string>, yamlScalars = false): TargetGroup[] {
  // YAML (Go's yaml decoder) fills string fields from any scalar; JSON (encoding/json) does not.
  const str = (v: unknown): string | undefined => (yamlScalars ? scalarString(v) : typeof v === "string" ? v : undefined);
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw new Error("expected a list of target groups");
  return doc.map((g, i) => {
    if (g === null || typeof g !== "object" || Array.isArray(g)) throw new Error("nil target group item found");
    const o = g as Record<string, unknown>;
    for (const k of Object.keys(o)) if (k !== "targets" && k !== "labels") throw new Error(`target group ${i}: unknown key "${k}"`);
    const targets = o.targets ?? [];
    if (!Array.isArray(targets)) throw new Error(`target group ${i}: targets must be a list of strings`);
    const labels: Record<string, string> = {};
    const rawLabels = o.labels ?? {};
    if (typeof rawLabels !== "object" || Array.isArray(rawLabels)) throw new Error(`target group ${i}: labels must be a mapping`);
    for (const [n, v] of Object.entries(rawLabels as Record<string, unknown>)) {
      if (!LABEL_NAME_RE.test(n)) throw new Error(`"${n}" is not a valid label name`);
      const sv = str(v);
      if (sv === undefined) throw new Error(`target group ${i}: label "${n}" must have a string value`);
      labels[n] = sv;
    }
    Object.assign(labels, extraLabels);
    return {
      targets: targets.map((t) => {
        const st = str(t);
        if (st === undefined) throw new Error(`target group ${i}: targets must be a list of strings`);
        return { __address__: st };
      }),
      labels,
      source: `${sourcePrefix}:${i}`,
    };
  });
}
