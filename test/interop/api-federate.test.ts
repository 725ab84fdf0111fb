/**
 * A real Prometheus (the Debian binary) federating from Quiver's /federate with honor_labels: the
 * federated series must arrive in Prometheus with their own job/instance labels, Quiver's external
 * labels, and the values Quiver holds.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { pollUntil, startPrometheus, type PrometheusProcess } from "../../exporters/service/testing/processes.ts";
import { federateConfig, peer, startHarness, type Harness } from "./api-harness.ts";

const bin = peer("/usr/bin/prometheus");
let h: Harness;
let prom: PrometheusProcess | undefined;
let promUrl = "";

async function promQuery(q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  return body.data?.result ?? [];
}

describe.skipIf(!bin)("Prometheus federating from Quiver", () => {
  beforeAll(async () => {
    h = await startHarness();
    prom = await startPrometheus(federateConfig(`127.0.0.1:${h.port}`, '{job=~".+"}'), { binary: bin! });
    promUrl = prom.url;
  });

  afterAll(async () => {
    await prom?.stop();
    await h?.stop();
  });

  test("federated series arrive with honor_labels and external labels", async () => {
    const result = (await pollUntil(async () => {
      const r = await promQuery("node_load1");
      return r.length > 0 ? r : undefined;
    }, 25_000, 300)) ?? [];
    if (result.length === 0) console.error(prom!.child.output().slice(-3000));
    expect(result).toHaveLength(1);
    expect(result[0]!.metric).toEqual({ __name__: "node_load1", instance: "127.0.0.1:19100", job: "node", quiver_replica: "a" });
    expect(result[0]!.value[1]).toBe("5");

    const up = await promQuery('up{job="node"}');
    expect(up.map((r) => r.metric)).toEqual([{ __name__: "up", instance: "127.0.0.1:19100", job: "node", quiver_replica: "a" }]);

    const targets = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ health: string; lastError: string; scrapeUrl: string }> } };
    const t = targets.data.activeTargets[0]!;
    expect(t.scrapeUrl).toBe(`${h.url}/federate?match%5B%5D=%7Bjob%3D~%22.%2B%22%7D`);
    expect(t.lastError).toBe("");
    expect(t.health).toBe("up");
  }, 40_000);
});
