/**
 * @module test/core/promql/engine/fixture
 * A small MemoryStorage dataset for engine tests: counters, gauges, classic histogram buckets and a
 * stale marker, 1 h at 15 s.
 */
import { Labels } from "../../../../core/model/labels.ts";
import { MemoryStorage } from "../../../../core/storage/memory.ts";

/** Builds the fixture store (deterministic). */
export async function fixtureStore(): Promise<MemoryStorage> {
  const store = new MemoryStorage();
  const app = store.appender();
  const series: Array<[Record<string, string>, (i: number) => number]> = [];
  for (const job of ["api", "db"]) {
    for (const instance of ["0", "1"]) {
      series.push([{ __name__: "http_requests_total", job, instance }, (i) => i * (instance === "0" ? 10 : 20)]);
      series.push([{ __name__: "foo", job, instance }, (i) => Math.sin(i / 7) * 5]);
      for (const le of ["0.1", "0.5", "1", "+Inf"]) {
        series.push([{ __name__: "x_bucket", job, instance, le }, (i) => i * (le === "+Inf" ? 10 : Number(le) * 8)]);
      }
    }
  }
  series.push([{ __name__: "up", job: "api", instance: "0" }, () => 1]);
  for (const [ls, f] of series) {
    const labels = Labels.from(ls);
    let ref = 0;
    for (let i = 0; i < 240; i++) ref = app.append(ref, labels, i * 15_000, f(i));
  }
  const gone = Labels.from({ __name__: "bar", job: "api" });
  app.append(0, gone, 0, 1);
  app.append(0, gone, 15_000, 2);
  app.appendStale!(0, gone, 30_000);
  await app.commit();
  return store;
}
