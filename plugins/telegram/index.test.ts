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

test("sendMessage with chat id, default message and HTML parse mode", async () => {
  const s = await sink(200, '{"ok":true,"result":{}}');
  const inst = await plugin.create(ctx({ api_url: s.base, bot_token: "123:abc", chat_id: -1001 }));
  expect(await inst.notify(msg(), sig())).toEqual({ retry: false });
  expect(s.got[0]!.url).toBe("/bot123:abc/sendMessage");
  expect(s.got[0]!.body).toEqual({
    chat_id: -1001, text: "Alerts Firing:\nLabels:\n - alertname = HighLoad\n - instance = a\n - job = node\nAnnotations:\n - summary = load a\nSource: http://prom/g\nAlerts Resolved:\nLabels:\n - alertname = HighLoad\n - instance = b\n - job = node\nAnnotations:\n - summary = load b\nSource: http://prom/g\n", disable_notification: false, parse_mode: "HTML",
  });
});
test("ok:false fails without retry; the token never appears in errors", async () => {
  const s = await sink(200, '{"ok":false,"description":"Bad Request: chat not found"}');
  const inst = await plugin.create(ctx({ api_url: s.base, bot_token: "123:abc", chat_id: 5 }));
  expect(await inst.notify(msg(), sig())).toEqual({ retry: false, error: "telegram: Bad Request: chat not found" });
  const f = await sink(502, "bad gateway");
  const r = await (await plugin.create(ctx({ api_url: f.base, bot_token: "123:abc", chat_id: 5 }))).notify(msg(), sig());
  expect(r.retry).toBe(true);
  expect(r.error).not.toContain("123:abc");
  expect(() => plugin.create(ctx({ bot_token: "x" }))).toThrow("missing chat_id");
  expect(() => plugin.create(ctx({ bot_token: "x", chat_id: 1, parse_mode: "BBCode" }))).toThrow("unknown parse_mode");
});
