import { afterEach, describe, expect, test } from "bun:test";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { nopLogger } from "../../core/log/logger.ts";
import type { NotificationMessage } from "../../core/model/alert.ts";
import plugin, { webhookPayload } from "./index.ts";

const msg: NotificationMessage = {
  receiver: "webhook", status: "firing", groupLabels: { alertname: "A" }, commonLabels: { alertname: "A" }, commonAnnotations: {},
  externalURL: "http://am:9093", groupKey: '{}:{alertname="A"}', truncatedAlerts: 0,
  alerts: [1, 2, 3].map((i) => ({
    status: "firing" as const, labels: { alertname: "A", i: String(i) }, annotations: {}, startsAt: Date.UTC(2026, 10, 24, 16, 53, 10, 500),
    endsAt: 0, generatorURL: "", fingerprint: `f${i}`,
  })),
};
const servers: Array<() => void> = [];
afterEach(() => servers.splice(0).forEach((c) => c()));

async function sink(status: number) {
  const got: Array<{ body: string; auth?: string }> = [];
  const s = createServer((req, res) => {
    let b = "";
    req.on("data", (c) => (b += c));
    req.on("end", () => {
      got.push({ body: b, auth: req.headers.authorization });
      res.statusCode = status;
      res.end("x");
    });
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  servers.push(() => s.close());
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`, got };
}

const ctx = (config: unknown) => ({ config, logger: nopLogger, dataDir: "/tmp", configDir: "/tmp" }) as never;

describe("webhook", () => {
  test("payload is version 4 with Go time encoding and max_alerts truncation", () => {
    const p = webhookPayload(msg, 2);
    expect(Object.keys(p)).toEqual(["receiver", "status", "alerts", "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "version", "groupKey", "truncatedAlerts"]);
    expect(p.version).toBe("4");
    expect(p.truncatedAlerts).toBe(1);
    const a = (p.alerts as Array<Record<string, unknown>>)[0]!;
    expect(a.startsAt).toBe("2026-11-24T16:53:10.5Z");
    expect(a.endsAt).toBe("0001-01-01T00:00:00Z");
  });
  test("posts JSON with auth; 5xx is retryable, 4xx is not", async () => {
    const ok = await sink(200);
    const inst = await plugin.create(ctx({ url: ok.url, http_config: { authorization: { credentials: "tok" } } }));
    expect(await inst.notify(msg, AbortSignal.timeout(2000))).toEqual({ retry: false, status: 200, text: "x" } as never);
    expect(JSON.parse(ok.got[0]!.body).receiver).toBe("webhook");
    expect(ok.got[0]!.auth).toBe("Bearer tok");
    const bad = await sink(503);
    expect((await (await plugin.create(ctx({ url: bad.url }))).notify(msg, AbortSignal.timeout(2000))).retry).toBe(true);
    const four = await sink(400);
    const r = await (await plugin.create(ctx({ url: four.url }))).notify(msg, AbortSignal.timeout(2000));
    expect(r.retry).toBe(false);
    expect(r.error).toContain("unexpected status code 400");
  });
  test("config errors", () => {
    expect(() => plugin.create(ctx({}))).toThrow("one of url or url_file must be configured");
    expect(() => plugin.create(ctx({ url: "ftp://x" }))).toThrow("unsupported scheme");
    expect(() => plugin.create(ctx({ url: "http://x", bogus: 1 }))).toThrow("field bogus not found");
  });
});
