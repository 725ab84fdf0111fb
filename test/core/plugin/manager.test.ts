import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nopLogger } from "../../../core/log/logger.ts";
import { PluginManager } from "../../../core/plugin/manager.ts";

const DEFINE = join(import.meta.dir, "../../../core/plugin/types.ts");

function plugin(root: string, folder: string, body: string): void {
  mkdirSync(join(root, folder), { recursive: true });
  writeFileSync(join(root, folder, "index.ts"), `import { definePlugin } from ${JSON.stringify(DEFINE)};\n${body}\n`);
}

let managers: PluginManager[] = [];
afterEach(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  managers = [];
});

function setup() {
  const root = mkdtempSync(join(tmpdir(), "qplug-"));
  const m = new PluginManager({ dirs: [root], logger: nopLogger, dataDir: join(root, ".data"), defaultTimeoutMs: 200 });
  managers.push(m);
  return { root, m };
}

const GOOD = `export default definePlugin({ name: "hello", kind: "exporter", version: "1.0.0",
  create(ctx) {
    const who = (ctx.config as { who?: string }).who ?? "world";
    return { collect: () => [{ name: "hello_info", type: "gauge", help: "Greeting.", samples: [{ name: "hello_info", labels: { who }, value: 1 }] }] };
  } });`;

describe("plugin manager", () => {
  test("loads a plugin dropped into a folder and collects through it", async () => {
    const { root, m } = setup();
    plugin(root, "hello", GOOD);
    await m.scan();
    await m.apply([{ id: "hello", plugin: "hello", disabled: false, timeout: 0, config: { who: "quiver" } }], root);
    const fams = await m.collector("hello")!(new AbortController().signal);
    expect(fams[0]!.samples[0]!.labels).toEqual({ who: "quiver" });
    const st = m.status().find((s) => s.name === "hello")!;
    expect(st).toMatchObject({ kind: "exporter", version: "1.0.0", load: "loaded" });
    expect(st.instances[0]).toMatchObject({ id: "hello", state: "up", calls: 1, errors: 0 });
  });

  test("a plugin that throws at import, a malformed one and a misnamed one are reported, others still load", async () => {
    const { root, m } = setup();
    plugin(root, "boom", `throw new Error("kaboom at import");`);
    plugin(root, "nodefault", `export const x = 1;`);
    plugin(root, "wrongname", GOOD);
    plugin(root, "hello", GOOD);
    await m.scan();
    const byName = Object.fromEntries(m.status().map((s) => [s.name, s]));
    expect(byName.boom!.error).toContain("kaboom at import");
    expect(byName.nodefault!.error).toContain("no default export");
    expect(byName.wrongname!.error).toContain('does not match its folder "wrongname"');
    expect(byName.hello!.load).toBe("loaded");
    const loaded = m.metrics().find((f) => f.name === "quiver_plugin_loaded")!;
    expect(loaded.samples.find((s) => s.labels.plugin === "boom")!.value).toBe(0);
  });

  test("throwing, hanging and garbage-returning collects fail alone and are counted", async () => {
    const { root, m } = setup();
    plugin(root, "bad", `let n = 0; export default definePlugin({ name: "bad", kind: "exporter", version: "0.1.0",
      create: () => ({ collect: () => { n++; if (n === 1) throw new Error("collect exploded");
        if (n === 2) return new Promise(() => {}); return [{ name: "x", type: "gauge", samples: [{ name: "x", labels: {}, value: "NaN?" }] }]; } }) });`);
    await m.scan();
    await m.apply([{ id: "bad", plugin: "bad", disabled: false, timeout: 100, config: {} }], root);
    const collect = m.collector("bad")!;
    const sig = new AbortController().signal;
    await expect(collect(sig)).rejects.toThrow("collect exploded");
    await expect(collect(sig)).rejects.toThrow("timed out after 100ms");
    await expect(collect(sig)).rejects.toThrow("non-numeric value");
    const inst = m.status().find((s) => s.name === "bad")!.instances[0]!;
    expect(inst).toMatchObject({ calls: 3, errors: 3, timeouts: 1, state: "failing" });
    const timeouts = m.metrics().find((f) => f.name === "quiver_plugin_timeouts")!;
    expect(timeouts.samples[0]!.value).toBe(1);
  });

  test("a config error from create() is reported and the instance is not created", async () => {
    const { root, m } = setup();
    plugin(root, "strict", `import { ConfigError } from ${JSON.stringify(join(import.meta.dir, "../../../core/util/errors.ts"))};
      export default definePlugin({ name: "strict", kind: "exporter", version: "1.0.0",
      create(ctx) { if (!(ctx.config as any).url) throw new ConfigError("url is required"); return { collect: () => [] }; } });`);
    await m.scan();
    const problems = await m.apply([{ id: "strict", plugin: "strict", disabled: false, timeout: 0, config: {} }], root);
    expect(problems).toEqual(["plugins.strict: url is required"]);
    await expect(m.collector("strict")!(new AbortController().signal)).rejects.toThrow("not running");
  });

  test("unknown plugin names in config are reported, not fatal", async () => {
    const { root, m } = setup();
    await m.scan();
    const problems = await m.apply([{ id: "x", plugin: "missing", disabled: false, timeout: 0, config: {} }], root);
    expect(problems[0]).toContain('plugin "missing" is not available');
  });

  test("rescan picks up a folder added later; apply keeps unchanged instances", async () => {
    const { root, m } = setup();
    await m.scan();
    plugin(root, "hello", GOOD);
    await m.scan();
    const cfg = [{ id: "hello", plugin: "hello", disabled: false, timeout: 0, config: {} }];
    await m.apply(cfg, root);
    const first = m.collector("hello")!;
    await first(new AbortController().signal);
    await m.apply(cfg, root);
    expect(m.status().find((s) => s.name === "hello")!.instances[0]!.calls).toBe(1);
  });
});
