/**
 * Response-shape conformance against Prometheus's own OpenAPI description of the HTTP API
 * (shared/conformance/http_api/openapi_3.1_golden.yaml): every endpoint's success answer is validated
 * against the documented 200 schema (required fields, no undocumented fields where the schema forbids
 * them, types, enums, array sizes), and error answers against the Error schema.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { Labels } from "../../../../core/model/labels.ts";
import type { RulesRetriever, TargetRetriever, TSDBAdmin } from "../../../../core/api/v1/index.ts";
import { sharedPath } from "../../../helpers/shared.ts";
import { buildApi, call, NOW } from "./helpers.ts";

type Schema = Record<string, unknown>;
const file = sharedPath("conformance", "http_api", "openapi_3.1_golden.yaml");
const spec = file ? (parse(readFileSync(file, "utf8")) as { paths: Record<string, Record<string, Schema>>; components: { schemas: Record<string, Schema> } }) : null;

/** Validates `v` against an OpenAPI 3.1 schema subset; returns the problems (empty = valid). */
function validate(v: unknown, s: Schema, path = "$"): string[] {
  if (typeof s["$ref"] === "string") return validate(v, spec!.components.schemas[(s["$ref"] as string).split("/").pop()!]!, path);
  for (const k of ["anyOf", "oneOf"] as const) {
    const alts = s[k] as Schema[] | undefined;
    if (alts) {
      const errs = alts.map((a) => validate(v, a, path));
      if (!errs.some((e) => e.length === 0)) return [`${path}: matches no alternative (${errs.map((e) => e[0]).join(" | ")})`];
      return [];
    }
  }
  const out: string[] = [];
  const t = s["type"] as string | undefined;
  const actual = v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
  if (t === "integer" ? !Number.isInteger(v) : t !== undefined && t !== actual) return [`${path}: expected ${t}, got ${actual}`];
  if (s["enum"] && !(s["enum"] as unknown[]).includes(v)) out.push(`${path}: ${JSON.stringify(v)} not in enum`);
  if (actual === "array") {
    const a = v as unknown[];
    if (typeof s["minItems"] === "number" && a.length < (s["minItems"] as number)) out.push(`${path}: fewer than minItems`);
    if (typeof s["maxItems"] === "number" && a.length > (s["maxItems"] as number)) out.push(`${path}: more than maxItems`);
    if (s["items"]) a.forEach((x, i) => out.push(...validate(x, s["items"] as Schema, `${path}[${i}]`)));
  }
  if (actual === "object") {
    const o = v as Record<string, unknown>;
    const props = (s["properties"] ?? {}) as Record<string, Schema>;
    for (const r of (s["required"] ?? []) as string[]) if (!(r in o)) out.push(`${path}: missing required ${r}`);
    for (const [k, x] of Object.entries(o)) {
      if (props[k]) out.push(...validate(x, props[k]!, `${path}.${k}`));
      else if (s["additionalProperties"] === false) out.push(`${path}: undocumented field ${k}`);
      else if (typeof s["additionalProperties"] === "object") out.push(...validate(x, s["additionalProperties"] as Schema, `${path}.${k}`));
    }
  }
  return out;
}

function responseSchema(path: string, method: string, status: string): Schema {
  const op = spec!.paths[path]![method] as { responses: Record<string, { content: Record<string, { schema: Schema }> }> };
  return op.responses[status]!.content["application/json"]!.schema;
}

const label = (o: Record<string, string>) => Labels.from(o);
const targets: TargetRetriever = {
  targetsActive: () => new Map([["node", [{
    labels: label({ __address__: "127.0.0.1:9100", __scrape_interval__: "15s", __scrape_timeout__: "10s", instance: "127.0.0.1:9100", job: "node" }),
    discoveredLabels: label({ __address__: "127.0.0.1:9100", job: "node" }), url: "http://127.0.0.1:9100/metrics", health: "up" as const,
    lastError: "", lastScrape: NOW, lastScrapeDuration: 0.01, metadata: new Map([["up", { type: "gauge", help: "Up.", unit: "" }]]),
  }]]]),
  targetsDropped: () => new Map([["node", [{ discoveredLabels: label({ __address__: "10.0.0.1:1" }) }]]]),
};
const rules: RulesRetriever = {
  ruleGroups: () => [{
    name: "g", file: "r.yml", interval: 15, limit: 0, evaluationTime: 0.001, lastEvaluation: NOW,
    rules: [
      { type: "recording", name: "r", query: "sum(up)", labels: Labels.EMPTY, health: "ok", lastError: "", evaluationTime: 0.001, lastEvaluation: NOW },
      { type: "alerting", name: "A", query: "up == 0", state: "firing", duration: 60, keepFiringFor: 0, labels: label({ severity: "page" }), annotations: Labels.EMPTY, health: "ok", lastError: "", evaluationTime: 0.001, lastEvaluation: NOW, alerts: [{ labels: label({ alertname: "A" }), annotations: Labels.EMPTY, state: "firing", activeAt: NOW, value: 0 }] },
    ],
  }],
};
const tsdb: TSDBAdmin = {
  delete: async () => {}, cleanTombstones: async () => {}, snapshot: async () => {},
  stats: async () => ({ numSeries: 1, numLabelPairs: 2, chunkCount: 1, minTime: 0, maxTime: 1, seriesCountByMetricName: [{ name: "up", value: 1 }], labelValueCountByLabelName: [], memoryInBytesByLabelName: [], seriesCountByLabelValuePair: [] }),
  walReplayStatus: () => ({ min: 0, max: 0, current: 0 }),
};

const S = NOW / 1000;
const CASES: Array<[string, string, string?]> = [
  ["/query", "/api/v1/query?query=up"],
  ["/query", "/api/v1/query?query=scalar(up%7Bjob%3D%22node%22%7D)"],
  ["/query", "/api/v1/query?query=up%5B1m%5D&stats=all"],
  ["/query_range", `/api/v1/query_range?query=up&start=${S - 60}&end=${S}&step=15&stats=true`],
  ["/format_query", "/api/v1/format_query?query=sum(up)"],
  ["/parse_query", "/api/v1/parse_query?query=sum(up)"],
  ["/query_exemplars", "/api/v1/query_exemplars?query=up"],
  ["/labels", "/api/v1/labels"],
  ["/label/{name}/values", "/api/v1/label/job/values?limit=1"],
  ["/series", "/api/v1/series?match[]=up"],
  ["/metadata", "/api/v1/metadata"],
  ["/targets", "/api/v1/targets"],
  ["/targets/metadata", "/api/v1/targets/metadata"],
  ["/scrape_pools", "/api/v1/scrape_pools"],
  ["/rules", "/api/v1/rules"],
  ["/alerts", "/api/v1/alerts"],
  ["/alertmanagers", "/api/v1/alertmanagers"],
  ["/status/config", "/api/v1/status/config"],
  ["/status/runtimeinfo", "/api/v1/status/runtimeinfo"],
  ["/status/buildinfo", "/api/v1/status/buildinfo"],
  ["/status/flags", "/api/v1/status/flags"],
  ["/status/tsdb", "/api/v1/status/tsdb"],
  ["/status/walreplay", "/api/v1/status/walreplay"],
  ["/admin/tsdb/snapshot", "/api/v1/admin/tsdb/snapshot", "post"],
];

describe.skipIf(!spec)("responses conform to Prometheus's OpenAPI description", () => {
  test("the validator rejects wrong shapes", () => {
    const q = responseSchema("/query", "get", "200");
    expect(validate({ status: "success" }, q)).toEqual(["$: missing required data"]);
    expect(validate({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1, "1", 2] }] } }, q).length).toBeGreaterThan(0);
    expect(validate({ status: "success", data: [], extra: 1 }, responseSchema("/labels", "get", "200"))).toEqual(["$: undocumented field extra"]);
    expect(validate({ status: "success", data: { activeTargets: [], droppedTargets: [] } }, responseSchema("/targets", "get", "200"))).toEqual(["$.data: missing required droppedTargetCounts"]);
  });

  for (const [path, url, method = "get"] of CASES) {
    test(`${method.toUpperCase()} ${url}`, async () => {
      const app = await buildApi({ targets, rules, tsdb, enableAdminApi: true, dataDir: mkdtempSync(join(tmpdir(), "quiver-oa-")) });
      const a = method === "post" ? await call(app, url, "") : await call(app, url);
      expect(a.status).toBe(200);
      expect(validate(a.body, responseSchema(path, method, "200"))).toEqual([]);
    });
  }

  const ERRORS: Array<[string, string]> = [
    ["/query", "/api/v1/query?query=up%7B"],
    ["/query_range", "/api/v1/query_range?query=up&start=1&end=0&step=1"],
    ["/series", "/api/v1/series"],
    ["/labels", "/api/v1/labels?start=x"],
    ["/rules", "/api/v1/rules?type=bad"],
  ];
  for (const [path, url] of ERRORS) {
    test(`error answer of ${url}`, async () => {
      const a = await call(await buildApi(), url);
      expect(a.status).toBe(400);
      expect(validate(a.body, responseSchema(path, "get", "default"))).toEqual([]);
    });
  }

  // The golden types a string result as two strings; Prometheus (and Quiver) answer [time, "text"].
  test("string results are [seconds, string] as Prometheus answers (the golden's items: string is looser than reality)", async () => {
    const a = await call(await buildApi(), `/api/v1/query?query=%22x%22&time=${S}`);
    expect(a.body.data).toEqual({ resultType: "string", result: [S, "x"] });
  });
});
