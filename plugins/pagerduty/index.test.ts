import { afterEach, expect, test } from "bun:test";
import { closeSinks, pluginContext, sampleMessage, startSink } from "../../core/plugin/testing.ts";
import plugin from "./index.ts";

afterEach(closeSinks);

const sink = startSink;
const ctx = (config: unknown) => pluginContext(config) as never;
const msg = sampleMessage;
const sig = () => AbortSignal.timeout(3000);

import { dedupKey } from "./index.ts";
test("trigger and resolve with the same dedup_key and Alertmanager's default fields", async () => {
  const s = await sink(202, '{"status":"success"}');
  const inst = await plugin.create(ctx({ routing_key: "rk", url: `${s.base}/v2/enqueue` }));
  expect(await inst.notify(msg(), sig())).toEqual({ retry: false });
  expect(await inst.notify(msg("resolved"), sig())).toEqual({ retry: false });
  const [t, r] = s.got.map((g) => g.body);
  expect(t).toEqual({
    routing_key: "rk", event_action: "trigger", dedup_key: dedupKey('{}:{alertname="HighLoad"}'),
    payload: {
      summary: "[FIRING:1] HighLoad (node)", source: "Alertmanager", severity: "error",
      custom_details: { firing: "Labels:\n - alertname = HighLoad\n - instance = a\n - job = node\nAnnotations:\n - summary = load a\nSource: http://prom/g\n", resolved: "Labels:\n - alertname = HighLoad\n - instance = b\n - job = node\nAnnotations:\n - summary = load b\nSource: http://prom/g\n", num_firing: "1", num_resolved: "1" },
    },
    client: "Alertmanager", client_url: "http://am:9093/#/alerts?receiver=team",
  });
  expect(r.event_action).toBe("resolve");
  expect(r.dedup_key).toBe(t.dedup_key);
  expect(t.dedup_key).toMatch(/^[0-9a-f]{64}$/);
});
test("5xx retries, 400 does not; config errors", async () => {
  const s = await sink(500, "x");
  expect((await (await plugin.create(ctx({ routing_key: "k", url: `${s.base}/e` }))).notify(msg(), sig())).retry).toBe(true);
  const b = await sink(400, "bad");
  expect((await (await plugin.create(ctx({ routing_key: "k", url: `${b.base}/e` }))).notify(msg(), sig())).retry).toBe(false);
  expect(() => plugin.create(ctx({}))).toThrow("missing routing_key");
  expect(() => plugin.create(ctx({ service_key: "x" }))).toThrow("Events API v1");
});
