import { describe, expect, test } from "bun:test";
import { remoteReadApi } from "../../../core/api/remote/read.ts";
import { nopLogger } from "../../../core/log/logger.ts";
import { Labels } from "../../../core/model/labels.ts";
import { Engine } from "../../../core/promql/engine/engine.ts";
import { parseRemoteReadConfigs } from "../../../core/remote/config.ts";
import { RemoteStorage } from "../../../core/remote/storage.ts";
import { MemoryStorage } from "../../../core/storage/memory.ts";

const NOW = 1_767_225_600_000;

async function fill(store: MemoryStorage, labels: Record<string, string>, from: number, to: number, v: (k: number) => number) {
  const app = store.appender();
  for (let k = from; k < to; k++) app.append(0, Labels.from(labels), NOW - 3_600_000 + k * 60_000, v(k));
  await app.commit();
}

/** A remote Quiver (its /api/v1/read over a MemoryStorage) reached through an injected fetch. */
function remote(store: MemoryStorage, ext: Labels, seen: string[] = []) {
  const area = remoteReadApi({ queryable: store, externalLabels: () => ext });
  return async (url: string, init: RequestInit) => { seen.push(url); return area.handle(new Request(url, init)); };
}

describe("remote_read merged into PromQL", () => {
  test("history only the remote has, recent data only local; required_matchers; read_recent", async () => {
    const local = new MemoryStorage();
    const far = new MemoryStorage();
    // The remote holds the whole hour for job=a; locally only the last 10 minutes.
    await fill(far, { __name__: "m", job: "a" }, 0, 60, (k) => k);
    await fill(local, { __name__: "m", job: "a" }, 50, 61, (k) => k);
    await fill(far, { __name__: "m", job: "b" }, 0, 60, () => 1000);
    const seen: string[] = [];
    const rs = new RemoteStorage({ dataDir: "/nonexistent", logger: nopLogger, externalLabels: () => Labels.EMPTY, local, fetch: remote(far, Labels.EMPTY, seen) });
    const engine = new Engine();
    const q = async (expr: string, t: number) => {
      const r = await engine.instantQuery(rs.queryable(), expr, t);
      if (r.resultType !== "vector") throw new Error(r.resultType);
      return { samples: r.result.map((s) => [s.metric.toString(), s.v]), warnings: r.warnings };
    };

    await rs.applyConfig([], parseRemoteReadConfigs([{ url: "http://localhost/api/v1/read" }], { dir: "/", path: "remote_read" }));
    // read_recent: false — 30 minutes ago is before local storage starts: the remote answers.
    expect((await q("sum by (job) (m)", NOW - 1_800_000)).samples).toEqual([['{job="a"}', 30], ['{job="b"}', 1000]]);
    // Now is covered locally: the remote is not asked for it (job b's data ends 1 min before now).
    seen.length = 0;
    expect((await q('m{job="a"}', NOW)).samples).toEqual([['m{job="a"}', 60]]);
    // A range over the boundary merges both sources sample by sample: same answer as one store with everything.
    const all = new MemoryStorage();
    await fill(all, { __name__: "m", job: "a" }, 0, 61, (k) => k);
    for (const expr of ['count_over_time(m{job="a"}[1h])', 'sum_over_time(m{job="a"}[1h])']) {
      const merged = await engine.instantQuery(rs.queryable(), expr, NOW);
      const single = await engine.instantQuery(all, expr, NOW);
      expect(merged.resultType === "vector" && merged.result.map((x) => [x.metric.toString(), x.v])).toEqual(single.resultType === "vector" && single.result.map((x) => [x.metric.toString(), x.v]));
    }

    // required_matchers: only selectors with job="b" go to the remote.
    await rs.applyConfig([], parseRemoteReadConfigs([{ url: "http://localhost/api/v1/read", required_matchers: { job: "b" } }], { dir: "/", path: "remote_read" }));
    seen.length = 0;
    expect((await q('m{job="a"}', NOW - 1_800_000)).samples).toEqual([]);
    expect(seen).toEqual([]);
    expect((await q('m{job="b"}', NOW - 1_800_000)).samples).toEqual([['m{job="b"}', 1000]]);
    expect(seen.length).toBe(1);
  });
});
