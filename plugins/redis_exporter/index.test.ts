/**
 * The redis_exporter plugin against a real redis-server started on loopback by the test (skipped with a
 * message when /usr/bin/redis-server is absent), plus RESP parsing and config checks.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { nopLogger } from "../../core/log/logger.ts";
import type { MetricFamily } from "../../core/model/metric-family.ts";
import { freePort, startChild, type Child } from "../../exporters/service/testing/processes.ts";
import plugin, { parseAddress } from "./index.ts";
import { RedisConnection, encodeCommand, parseReply } from "./resp.ts";

const REDIS = "/usr/bin/redis-server";
const ctx = (config: unknown) => ({ config: config as never, logger: nopLogger, dataDir: "/tmp", configDir: "/tmp" });
const value = (fams: MetricFamily[], name: string, labels: Record<string, string> = {}) =>
  fams.find((f) => f.name === name)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("RESP", () => {
  test("encodes commands and parses every reply type", () => {
    expect(encodeCommand(["SET", "k", "v"]).toString()).toBe("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
    expect(parseReply(Buffer.from("+OK\r\n"))).toEqual(["OK", 5]);
    expect(parseReply(Buffer.from(":42\r\n"))![0]).toBe(42);
    expect(parseReply(Buffer.from("$-1\r\n"))![0]).toBe(null);
    expect(parseReply(Buffer.from("*2\r\n$1\r\na\r\n:1\r\n"))![0]).toEqual(["a", 1]);
    expect(parseReply(Buffer.from("$5\r\nhel"))).toBe(null);
    expect((parseReply(Buffer.from("-ERR bad\r\n"))![0] as Error).message).toBe("ERR bad");
  });

  test("addresses and config errors", () => {
    expect(parseAddress("redis://u:p%40ss@db:6380")).toEqual({ host: "db", port: 6380, username: "u", password: "p@ss" });
    expect(parseAddress("10.0.0.1:7000")).toEqual({ host: "10.0.0.1", port: 7000 });
    expect(() => plugin.create(ctx({ adress: "x" }))).toThrow(/unknown setting "adress"/);
    expect(() => plugin.create(ctx({ address: "rediss://x:1" }))).toThrow(/rediss/);
  });
});

describe.skipIf(!existsSync(REDIS))("against redis-server", () => {
  let port = 0;
  let authPort = 0;
  let redis: Child;
  let redisAuth: Child;
  beforeAll(async () => {
    port = await freePort();
    authPort = await freePort();
    redis = startChild(REDIS, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
    redisAuth = startChild(REDIS, ["--port", String(authPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", "s3cret"]);
    for (const p of [port, authPort]) {
      for (let i = 0; i < 100; i++) {
        try {
          const c = await RedisConnection.open("127.0.0.1", p, new AbortController().signal);
          c.close();
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
    const c = await RedisConnection.open("127.0.0.1", port, new AbortController().signal);
    const s = new AbortController().signal;
    for (let i = 0; i < 5; i++) await c.command(["SET", `k${i}`, "v"], s);
    await c.command(["EXPIRE", "k0", "1000"], s);
    await c.command(["SELECT", "3"], s);
    await c.command(["SET", "other", "v"], s);
    await c.command(["GET", "missing"], s);
    c.close();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
    await redisAuth?.stop();
  });

  test("exports redis_up, memory, clients, commands and keyspace", async () => {
    const inst = await plugin.create(ctx({ address: `redis://127.0.0.1:${port}` }));
    const fams = await inst.collect(new AbortController().signal);
    expect(value(fams, "redis_up")).toBe(1);
    expect(value(fams, "redis_connected_clients")).toBeGreaterThanOrEqual(1);
    expect(value(fams, "redis_memory_used_bytes")).toBeGreaterThan(0);
    expect(value(fams, "redis_commands_processed_total")).toBeGreaterThanOrEqual(9);
    expect(value(fams, "redis_db_keys", { db: "db0" })).toBe(5);
    expect(value(fams, "redis_db_keys_expiring", { db: "db0" })).toBe(1);
    expect(value(fams, "redis_db_keys", { db: "db3" })).toBe(1);
    expect(value(fams, "redis_commands_total", { cmd: "set" })).toBe(6);
    expect(value(fams, "redis_keyspace_misses_total")).toBeGreaterThanOrEqual(1);
    expect(fams.find((f) => f.name === "redis_instance_info")!.samples[0]!.labels.redis_version).toMatch(/^\d+\.\d+/);
    expect(fams.find((f) => f.name === "redis_commands_processed_total")!.type).toBe("counter");
  });

  test("authenticates with a password; a wrong one reports redis_up 0", async () => {
    const ok = await (await plugin.create(ctx({ address: `127.0.0.1:${authPort}`, password: "s3cret" }))).collect(new AbortController().signal);
    expect(value(ok, "redis_up")).toBe(1);
    const bad = await (await plugin.create(ctx({ address: `127.0.0.1:${authPort}`, password: "nope" }))).collect(new AbortController().signal);
    expect(value(bad, "redis_up")).toBe(0);
  });

  test("a server that is down reports redis_up 0", async () => {
    const fams = await (await plugin.create(ctx({ address: `127.0.0.1:${await freePort()}` }))).collect(new AbortController().signal);
    expect(fams).toEqual([{ name: "redis_up", type: "gauge", help: "Information about the Redis instance", samples: [{ name: "redis_up", labels: {}, value: 0 }] }]);
  });
});
if (!existsSync(REDIS)) console.warn(`${REDIS} not found: skipping the redis_exporter tests against a real server`);
