import { afterEach, expect, test } from "bun:test";
import { closeSinks, pluginContext, sampleMessage, startSink } from "../../core/plugin/testing.ts";
import plugin from "./index.ts";

afterEach(closeSinks);

const sink = startSink;
const ctx = (config: unknown) => pluginContext(config) as never;
const msg = sampleMessage;
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
