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

test("webhook: one attachment with Alertmanager's default title, link, fallback and colour", async () => {
  const s = await sink();
  const inst = await plugin.create(ctx({ api_url: `${s.base}/services/x`, channel: "#ops" }));
  expect(await inst.notify(msg(), sig())).toEqual({ retry: false });
  expect(s.got[0]!.body).toEqual({
    channel: "#ops", username: "Alertmanager",
    attachments: [{
      title: "[FIRING:1] HighLoad (node)", title_link: "http://am:9093/#/alerts?receiver=team",
      fallback: "[FIRING:1] HighLoad (node) | http://am:9093/#/alerts?receiver=team", color: "danger",
      mrkdwn_in: ["fallback", "pretext", "text"],
    }],
  });
  await inst.notify(msg("resolved"), sig());
  expect(s.got[1]!.body.attachments[0].color).toBe("good");
  expect(s.got[1]!.body.attachments[0].title).toBe("[RESOLVED] HighLoad (node)");
});
test("app token: Bearer auth to chat.postMessage; ok:false is a failure; custom text templates", async () => {
  const s = await sink(200, JSON.stringify({ ok: false, error: "channel_not_found" }));
  const inst = await plugin.create(ctx({ app_token: "xoxb-1", app_url: `${s.base}/api/chat.postMessage`, channel: "#x", text: "{{ range .Alerts }}{{ .Labels.instance }} {{ end }}" }));
  const r = await inst.notify(msg(), sig());
  expect(r).toEqual({ retry: false, error: "error response from Slack: channel_not_found" });
  expect(s.got[0]!.headers.authorization).toBe("Bearer xoxb-1");
  expect(s.got[0]!.body.attachments[0].text).toBe("a b ");
});
test("config errors", () => {
  expect(() => plugin.create(ctx({ channel: "#x" }))).toThrow("no Slack API URL nor App token");
  expect(() => plugin.create(ctx({ api_url: "http://x", titel: "t" }))).toThrow("field titel not found in type config.SlackConfig");
});
