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

test("embed with default title and message, colours by status", async () => {
  const s = await sink(204, "");
  const inst = await plugin.create(ctx({ webhook_url: `${s.base}/api/webhooks/1/x` }));
  expect(await inst.notify(msg(), sig())).toEqual({ retry: false });
  expect(s.got[0]!.body).toEqual({
    content: "",
    embeds: [{ title: "[FIRING:1] HighLoad (node)", description: "Alerts Firing:\nLabels:\n - alertname = HighLoad\n - instance = a\n - job = node\nAnnotations:\n - summary = load a\nSource: http://prom/g\nAlerts Resolved:\nLabels:\n - alertname = HighLoad\n - instance = b\n - job = node\nAnnotations:\n - summary = load b\nSource: http://prom/g\n", color: 0x992d22 }],
  });
  await inst.notify(msg("resolved"), sig());
  expect(s.got[1]!.body.embeds[0].color).toBe(0x2ecc71);
});
test("titles are truncated to 256 characters", async () => {
  const s = await sink(204, "");
  const inst = await plugin.create(ctx({ webhook_url: `${s.base}/w`, title: "{{ range $i, $e := .Alerts }}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{ end }}" }));
  await inst.notify(msg(), sig());
  const t = s.got[0]!.body.embeds[0].title as string;
  expect([...t].length).toBe(256);
  expect(t.endsWith("…")).toBe(true);
});
