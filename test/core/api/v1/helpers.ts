/**
 * @module test/core/api/v1/helpers
 * Builds /api/v1 over MemoryStorage and the real PromQL engine for response-shape tests, and a small
 * `call()` that answers with status, headers and parsed JSON. No sockets.
 */
import { Labels } from "../../../../core/model/labels.ts";
import { Engine } from "../../../../core/promql/index.ts";
import { MemoryStorage } from "../../../../core/storage/memory.ts";
import { apiV1, type ApiV1Deps, type StatusSources } from "../../../../core/api/v1/index.ts";

/** Fixed clock: 2026-01-02T13:37:00Z. */
export const NOW = Date.UTC(2026, 0, 2, 13, 37, 0);

/** Static status sources with recognisable values. */
export const STATUS: StatusSources = {
  configYaml: () => "global:\n  scrape_interval: 15s\n",
  flags: () => ({ "web.enable-admin-api": "false", "storage.tsdb.path": "data/", "query.timeout": "2m" }),
  runtimeInfo: () => ({
    startTime: NOW - 60_000, CWD: "/tmp", hostname: "host", serverTime: NOW, reloadConfigSuccess: true,
    lastConfigTime: NOW - 30_000, corruptionCount: 0, goroutineCount: 1, GOMAXPROCS: 2, GOMEMLIMIT: 0,
    GOGC: "", GODEBUG: "", storageRetention: "15d",
  }),
  buildInfo: () => ({ version: "0.1.0", revision: "abc", branch: "main", buildUser: "me@host", buildDate: "20260101-00:00:00", goVersion: "bun 1.2" }),
};

/**
 * A store with `up` for two jobs and `http_requests_total` every 15 s over the 10 minutes before NOW,
 * plus a NaN and an Inf series.
 */
export async function sampleStorage(): Promise<MemoryStorage> {
  const st = new MemoryStorage();
  const app = st.appender();
  const series: Array<[Record<string, string>, (i: number) => number]> = [
    [{ __name__: "up", job: "prometheus", instance: "localhost:9090" }, () => 1],
    [{ __name__: "up", job: "node", instance: "localhost:9100" }, () => 0],
    [{ __name__: "http_requests_total", job: "api", code: "200" }, (i) => i * 10],
    [{ __name__: "http_requests_total", job: "api", code: "500" }, (i) => i],
    [{ __name__: "weird", kind: "nan" }, () => NaN],
    [{ __name__: "weird", kind: "inf" }, () => Infinity],
    [{ __name__: "weird", kind: "tiny" }, () => 1e-7],
  ];
  for (let i = 0; i <= 40; i++) {
    const t = NOW - 600_000 + i * 15_000;
    for (const [ls, f] of series) app.append(0, Labels.from(ls), t, f(i));
  }
  await app.commit();
  return st;
}

/** Builds the API with defaults for the tests (override any dependency). */
export async function buildApi(over: Partial<ApiV1Deps> = {}) {
  const queryable = over.queryable ?? (await sampleStorage());
  const engine = new Engine({ now: () => NOW });
  return apiV1({ queryable, engine, status: STATUS, enableAdminApi: false, now: () => NOW, ...over });
}

/** A parsed answer. */
export interface Answer {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
  text: string;
}

/** Sends a request to an app (GET by default; `form` makes it a form-encoded POST). */
export async function call(app: { handle(r: Request): Promise<Response> }, path: string, form?: string | URLSearchParams, method = "POST"): Promise<Answer> {
  const init: RequestInit = form === undefined ? {} : { method, body: String(form), headers: { "content-type": "application/x-www-form-urlencoded" } };
  const res = await app.handle(new Request(`http://localhost${path}`, init));
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, body, text };
}
