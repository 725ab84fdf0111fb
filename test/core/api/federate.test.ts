import { describe, expect, test } from "bun:test";
import { federateApi } from "../../../core/api/federate.ts";
import { Labels } from "../../../core/model/labels.ts";
import { MemoryStorage } from "../../../core/storage/memory.ts";

const NOW = 1_767_361_020_000;

async function store(): Promise<MemoryStorage> {
  const st = new MemoryStorage();
  const app = st.appender();
  app.append(0, Labels.from({ __name__: "up", job: "node", instance: "a:9100" }), NOW - 30_000, 1);
  app.append(0, Labels.from({ __name__: "up", job: "node", instance: "a:9100" }), NOW - 15_000, 0);
  app.append(0, Labels.from({ __name__: "up", job: "prom", instance: "b:9090", dc: "here" }), NOW - 10_000, 1);
  app.append(0, Labels.from({ __name__: "http_requests_total", job: "api", code: "200" }), NOW - 5_000, 42.5);
  app.append(0, Labels.from({ __name__: "old", job: "x" }), NOW - 400_000, 7);
  app.appendStale?.(0, Labels.from({ __name__: "gone", job: "x" }), NOW - 1_000);
  await app.commit();
  return st;
}

async function get(path: string, opts: { ready?: boolean } = {}) {
  const app = federateApi({
    queryable: await store(),
    externalLabels: () => Labels.from({ dc: "eu1", replica: "r1" }),
    lookbackDelta: 300_000,
    now: () => NOW,
    isReady: () => opts.ready ?? true,
  });
  const res = await app.handle(new Request(`http://localhost${path}`));
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

describe("/federate", () => {
  test("latest sample per series, untyped families, timestamps, external labels unless present", async () => {
    const r = await get("/federate?match[]=up&match[]=%7B__name__%3D~%22http.*%22%7D");
    expect(r.status).toBe(200);
    expect(r.type).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(r.text).toBe(
      "# TYPE http_requests_total untyped\n" +
        `http_requests_total{code="200",job="api",dc="eu1",replica="r1"} 42.5 ${NOW - 5_000}\n` +
        "# TYPE up untyped\n" +
        `up{dc="here",instance="b:9090",job="prom",replica="r1"} 1 ${NOW - 10_000}\n` +
        `up{instance="a:9100",job="node",dc="eu1",replica="r1"} 0 ${NOW - 15_000}\n`,
    );
  });

  test("samples older than the lookback delta and stale series are left out", async () => {
    const r = await get("/federate?match[]=%7Bjob%3D%22x%22%7D");
    expect(r.text).toBe("");
  });

  test("no match[] is an empty answer; a bad selector is 400", async () => {
    expect((await get("/federate")).text).toBe("");
    const bad = await get("/federate?match[]=up%7B");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("parse error");
  });

  test("503 until ready", async () => {
    expect((await get("/federate?match[]=up", { ready: false })).status).toBe(503);
  });
});
