/**
 * @module core/alerting/persist
 * Atomic JSON snapshot files (write to `<file>.tmp`, then rename), used for silences and the notification
 * log so a restart neither forgets silences nor re-sends what was sent.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Writes `value` as JSON to `path` atomically. */
export function writeSnapshot(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

/** Reads a JSON snapshot; undefined when the file does not exist. Throws on corrupt content. */
export function readSnapshot<T>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${path}: corrupt snapshot (${(e as Error).message}); move it away to start without it`);
  }
}
