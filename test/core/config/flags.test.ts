import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { FLAG_DEFS, FlagError, helpText, parseFlags } from "../../../core/config/flags.ts";

function run(argv: string[]) {
  const r = parseFlags(argv);
  if (r.kind !== "run") throw new Error("expected run");
  return r.flags;
}

describe("flags", () => {
  test("defaults match Prometheus", () => {
    const f = run([]);
    expect(f.listenAddress).toBe("0.0.0.0:9090");
    expect(f.tsdbPath).toBe("data/");
    expect(f.retentionTime).toBe(15 * 86_400_000);
    expect(f.retentionSize).toBe(0);
    expect(f.queryTimeout).toBe(120_000);
    expect(f.queryMaxSamples).toBe(50_000_000);
    expect(f.lookbackDelta).toBe(300_000);
    expect(f.enableLifecycle).toBe(false);
    expect(f.enableAdminApi).toBe(false);
    expect(f.logLevel).toBe("info");
    expect(f.logFormat).toBe("logfmt");
  });

  test("accepts --name=value, --name value, booleans and --no-", () => {
    const f = run(["--config.file=a.yml", "--web.listen-address", ":9191", "--web.enable-lifecycle", "--no-storage.tsdb.wal-compression",
      "--storage.tsdb.retention.size=1GB", "--storage.tsdb.retention.time", "30d", "--web.enable-admin-api=true", "--log.format=json"]);
    expect(f.configFile).toBe("a.yml");
    expect(f.listenAddress).toBe(":9191");
    expect(f.enableLifecycle).toBe(true);
    expect(f.walCompression).toBe(false);
    expect(f.retentionSize).toBe(1024 ** 3);
    expect(f.retentionTime).toBe(30 * 86_400_000);
    expect(f.enableAdminApi).toBe(true);
    expect(f.logFormat).toBe("json");
    expect(f.raw["web.enable-lifecycle"]).toBe("true");
  });

  test("repeatable flags accumulate", () => {
    const f = run(["--plugins.dir=/a", "--plugins.dir", "/b", "--enable-feature=x,y"]);
    expect(f.pluginDirs).toEqual(["/a", "/b"]);
    expect(f.features).toEqual(["x", "y"]);
  });

  test("help and version", () => {
    expect(parseFlags(["--help"]).kind).toBe("help");
    expect(parseFlags(["--version"]).kind).toBe("version");
    for (const d of FLAG_DEFS) expect(helpText("quiver")).toContain(`--${d.kind === "bool" ? "[no-]" : ""}${d.name}`);
  });

  test.each([
    [["--nope"], "unknown long flag '--nope'"],
    [["--query.timeout=abc"], "invalid value \"abc\" for flag '--query.timeout'"],
    [["--log.level=loud"], "--log.level: invalid value"],
    [["--config.file"], "expected argument for flag '--config.file'"],
    [["--web.enable-lifecycle=maybe"], "expected true or false"],
    [["positional"], "unexpected positional"],
  ])("rejects %p with exit code 2", (argv, msg) => {
    try {
      parseFlags(argv as string[]);
      throw new Error("did not throw");
    } catch (e) {
      expect(e).toBeInstanceOf(FlagError);
      expect((e as FlagError).exitCode).toBe(2);
      expect((e as Error).message).toContain(msg);
    }
  });

  test("property: any set of known flags with valid values parses, and raw reflects them", () => {
    const sample: Record<string, fc.Arbitrary<string>> = {
      string: fc.stringMatching(/^[a-z0-9/._:-]{1,12}$/),
      bool: fc.constantFrom("true", "false"),
      duration: fc.constantFrom("1s", "5m", "2h", "15d", "1h30m"),
      size: fc.constantFrom("0B", "512MB", "1GB"),
      int: fc.integer({ min: 0, max: 1e6 }).map(String),
    };
    const defs = FLAG_DEFS.filter((d) => d.kind !== "list" && !["log.level", "log.format"].includes(d.name));
    fc.assert(fc.property(fc.subarray(defs, { minLength: 1 }).chain((ds) =>
      fc.tuple(...ds.map((d) => sample[d.kind]!.map((v) => [d.name, v] as const)))), (pairs) => {
      const f = run(pairs.map(([n, v]) => `--${n}=${v}`));
      return pairs.every(([n, v]) => f.raw[n] === v);
    }));
  });
});
