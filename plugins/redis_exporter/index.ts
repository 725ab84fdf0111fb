/**
 * @module plugins/redis_exporter
 * Exports a Redis server's state with oliver006/redis_exporter's metric names: on each scrape it connects
 * over TCP (RESP via node:net, no dependency), authenticates when configured, runs `INFO ALL` and maps
 * the reply to families (maxmemory comes from INFO too), reporting redis_up plus those families.
 * A failed connection or command reports redis_up 0 (and the reason in the log), never an exception, so
 * the scrape itself stays up like a standalone redis_exporter's.
 */
import { readFileSync } from "node:fs";
import { type ExporterInstance, type MetricFamily, definePlugin } from "../../core/plugin/types.ts";
import { ConfigError } from "../../core/util/errors.ts";
import { infoToFamilies, parseInfo } from "./metrics.ts";
import { RedisConnection } from "./resp.ts";

/** The plugin's settings (see example.yml). */
export interface RedisExporterConfig {
  address?: string;
  username?: string;
  password?: string;
  password_file?: string;
  namespace?: string;
}

/** Parses `redis://[user:pass@]host:port[/db]` or `host:port`. @throws ConfigError. */
export function parseAddress(addr: string): { host: string; port: number; username?: string; password?: string } {
  const url = new URL(/^[a-z]+:\/\//.test(addr) ? addr : `redis://${addr}`);
  if (url.protocol !== "redis:") throw new ConfigError(`redis_exporter: unsupported scheme ${url.protocol} (rediss:// TLS is not supported)`, undefined, "address");
  if (!url.hostname) throw new ConfigError(`redis_exporter: address ${JSON.stringify(addr)} has no host`, undefined, "address");
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

export default definePlugin<"exporter", RedisExporterConfig>({
  name: "redis_exporter",
  kind: "exporter",
  version: "1.0.0",
  description: "Redis server metrics with redis_exporter's names (redis_up, memory, clients, commands, keyspace)",
  create(ctx): ExporterInstance {
    const c = ctx.config ?? {};
    for (const k of Object.keys(c)) {
      if (!["address", "username", "password", "password_file", "namespace"].includes(k)) throw new ConfigError(`redis_exporter: unknown setting ${JSON.stringify(k)}`, undefined, k);
    }
    const target = parseAddress(c.address ?? "redis://127.0.0.1:6379");
    const ns = c.namespace ?? "redis";
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(ns)) throw new ConfigError(`redis_exporter: invalid namespace ${JSON.stringify(ns)}`, undefined, "namespace");
    const upFamily = (v: number): MetricFamily => ({ name: `${ns}_up`, type: "gauge", help: "Information about the Redis instance", samples: [{ name: `${ns}_up`, labels: {}, value: v }] });
    return {
      async collect(signal) {
        const start = performance.now();
        let conn: RedisConnection | null = null;
        try {
          conn = await RedisConnection.open(target.host, target.port, signal);
          const password = c.password ?? (c.password_file ? readFileSync(c.password_file, "utf8").trim() : target.password);
          const username = c.username || target.username;
          if (password) await conn.command(username ? ["AUTH", username, password] : ["AUTH", password], signal);
          const info = await conn.command(["INFO", "ALL"], signal);
          if (typeof info !== "string") throw new Error("unexpected reply to INFO");
          const fams = infoToFamilies(parseInfo(info), ns);
          fams.push(upFamily(1));
          fams.push({ name: `${ns}_exporter_last_scrape_duration_seconds`, type: "gauge", help: "The last scrape duration.", samples: [{ name: `${ns}_exporter_last_scrape_duration_seconds`, labels: {}, value: (performance.now() - start) / 1000 }] });
          return fams;
        } catch (e) {
          if (signal.aborted) throw e;
          ctx.logger.error("Redis scrape failed", { addr: `${target.host}:${target.port}`, err: e });
          return [upFamily(0)];
        } finally {
          conn?.close();
        }
      },
    };
  },
});
