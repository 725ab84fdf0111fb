import { afterEach, expect, test } from "bun:test";
import { closeSinks, pluginContext, sampleMessage, startSink } from "../../core/plugin/testing.ts";
import plugin from "./index.ts";

afterEach(closeSinks);

const sink = startSink;
const ctx = (config: unknown) => pluginContext(config) as never;
const msg = sampleMessage;
const sig = () => AbortSignal.timeout(3000);

test("MessageCard with default title, summary, markdown text and theme colour", async () => {
  const s = await sink();
  const inst = await plugin.create(ctx({ webhook_url: `${s.base}/webhookb2/x` }));
  expect(await inst.notify(msg(), sig())).toEqual({ retry: false });
  const b = s.got[0]!.body;
  expect(b["@type"]).toBe("MessageCard");
  expect(b["@context"]).toBe("http://schema.org/extensions");
  expect(b.title).toBe("[FIRING:1] HighLoad (node)");
  expect(b.summary).toBe("[FIRING:1] HighLoad (node)");
  expect(b.themeColor).toBe("8C1A1A");
  expect(b.text).toContain("# Alerts Firing:");
  expect(b.text).toContain("  - instance = a");
  expect(b.text).toContain("# Alerts Resolved:");
  await inst.notify(msg("resolved"), sig());
  expect(s.got[1]!.body.themeColor).toBe("2DC72D");
});
test("config errors", () => {
  expect(() => plugin.create(ctx({}))).toThrow("webhook_url");
});
