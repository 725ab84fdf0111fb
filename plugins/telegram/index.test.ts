import { afterEach, expect, test } from "bun:test";
import { closeSinks, pluginContext, sampleMessage, startSink } from "../../core/plugin/testing.ts";
import plugin from "./index.ts";

afterEach(closeSinks);

const sink = startSink;
const ctx = (config: unknown) => pluginContext(config) as never;
const msg = sampleMessage;
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
