import { afterEach, expect, test } from "bun:test";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { nopLogger } from "../../core/log/logger.ts";
import type { NotificationMessage } from "../../core/model/alert.ts";
import plugin from "./index.ts";

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

/** A loopback sink answering `reply` and recording requests. */
async function sink(status = 200, reply = "ok") {
  const got: Array<{ url: string; body: any; headers: Record<string, unknown> }> = [];
  const s = createServer((req, res) => {
    let b = "";
    req.on("data", (c) => (b += c));
    req.on("end", () => {
      got.push({ url: req.url ?? "", body: JSON.parse(b), headers: req.headers });
      res.statusCode = status;
      res.end(reply);
    });
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  closers.push(() => s.close());
  return { base: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, got };
}

const ctx = (config: unknown) => ({ config, logger: nopLogger, dataDir: "/tmp", configDir: "/tmp" }) as never;
const T = Date.UTC(2026, 10, 24, 16, 53, 10);
/** A group of two firing alerts and one resolved, as core builds it. */
const msg = (status: "firing" | "resolved" = "firing"): NotificationMessage => ({
  receiver: "team", status, groupLabels: { alertname: "HighLoad" }, commonLabels: { alertname: "HighLoad", job: "node" },
  commonAnnotations: {}, externalURL: "http://am:9093", groupKey: '{}:{alertname="HighLoad"}', truncatedAlerts: 0,
  alerts: status === "firing"
    ? [
      { status: "firing", labels: { alertname: "HighLoad", job: "node", instance: "a" }, annotations: { summary: "load a" }, startsAt: T, endsAt: 0, generatorURL: "http://prom/g", fingerprint: "1" },
      { status: "resolved", labels: { alertname: "HighLoad", job: "node", instance: "b" }, annotations: { summary: "load b" }, startsAt: T, endsAt: T + 60_000, generatorURL: "http://prom/g", fingerprint: "2" },
    ]
    : [{ status: "resolved", labels: { alertname: "HighLoad", job: "node", instance: "b" }, annotations: {}, startsAt: T, endsAt: T + 60_000, generatorURL: "http://prom/g", fingerprint: "2" }],
});
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
