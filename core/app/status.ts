/**
 * @module core/app/status
 * The data of /api/v1/status/runtimeinfo and /api/v1/status/buildinfo, with Prometheus's field names.
 * Go-specific fields carry the nearest runtime equivalent (documented per field).
 */
import { availableParallelism, hostname } from "node:os";
import type { BuildInfo, RuntimeInfo } from "../api/v1/types.ts";
import { formatDuration } from "../util/duration.ts";
import { VERSION } from "./version.ts";

/** What runtimeInfo reads from the server. */
export interface RuntimeInfoSource {
  startedAt: number;
  lastReload: number;
  flags: { retentionTime: number; retentionSize: number };
  /** Whether the last reload succeeded. */
  reloadOk: boolean;
  db?: { counters: { walCorruptions: number } } | undefined;
}

/** Build information. `goVersion` names the JS runtime (e.g. "bun 1.4.5"). */
export function buildInfo(runtime: { name: string; version: string }): BuildInfo {
  return { version: VERSION, revision: "", branch: "main", buildUser: "", buildDate: "", goVersion: `${runtime.name} ${runtime.version}` };
}

/** Runtime information. goroutineCount is 0 (no goroutines); GOMAXPROCS is the CPU parallelism. */
export async function runtimeInfo(q: RuntimeInfoSource): Promise<RuntimeInfo> {
  const retention: string[] = [];
  if (q.flags.retentionTime) retention.push(formatDuration(q.flags.retentionTime));
  if (q.flags.retentionSize) retention.push(`${q.flags.retentionSize}B`);
  return {
    startTime: q.startedAt,
    CWD: process.cwd(),
    hostname: hostname(),
    serverTime: Date.now(),
    reloadConfigSuccess: q.reloadOk,
    lastConfigTime: q.lastReload,
    corruptionCount: q.db?.counters.walCorruptions ?? 0,
    goroutineCount: 0,
    GOMAXPROCS: availableParallelism(),
    GOMEMLIMIT: 0,
    GOGC: "",
    GODEBUG: "",
    storageRetention: retention.join(" or ") || "unlimited",
  };
}
