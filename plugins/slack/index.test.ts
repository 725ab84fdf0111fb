import { afterEach, expect, test } from "bun:test";
import { closeSinks, pluginContext, sampleMessage, startSink } from "../../core/plugin/testing.ts";
import plugin from "./index.ts";

afterEach(closeSinks);

const sink = startSink;
const ctx = (config: unknown) => pluginContext(config) as never;
const msg = sampleMessage;
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
