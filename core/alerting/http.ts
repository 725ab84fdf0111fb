/**
 * @module core/alerting/http
 * Helpers for notification channels that deliver over HTTP: one POST with Alertmanager's retry rule
 * (network errors, 5xx and 429 are worth retrying; other 4xx are not), error messages that include the
 * status and the start of the response body, and `_file` secret loading.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { NotifyResult } from "../plugin/types.ts";
import { ConfigError } from "../util/errors.ts";

/** User-Agent of Quiver's notifications. */
export const NOTIFIER_USER_AGENT = "Quiver-Alertmanager";

/** Whether an HTTP status is worth retrying. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/** POSTs `body` (JSON-encoded unless a string) and classifies the outcome. Never throws. */
export async function postJSON(url: string, body: unknown, signal: AbortSignal, headers: Record<string, string> = {}): Promise<NotifyResult & { status?: number; text?: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": NOTIFIER_USER_AGENT, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    return { retry: true, error: `Post "${redact(url)}": ${e instanceof Error ? e.message : String(e)}` };
  }
  const text = await res.text().catch(() => "");
  if (res.status >= 200 && res.status < 300) return { retry: false, status: res.status, text };
  return { retry: retryableStatus(res.status), status: res.status, text, error: `unexpected status code ${res.status}: ${redact(url)}: ${text.slice(0, 200)}` };
}

/** Hides the path and query of a URL (they often carry tokens). */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/<redacted>`;
  } catch {
    return "<redacted>";
  }
}

/** Reads `key` or `key_file` (relative to configDir) from settings; trims a trailing newline of files. */
export function secret(settings: Record<string, unknown>, key: string, configDir: string): string | undefined {
  const v = settings[key];
  if (typeof v === "string" && v !== "") return v;
  const f = settings[`${key}_file`];
  if (typeof f === "string" && f !== "") {
    const p = isAbsolute(f) ? f : resolve(configDir, f);
    try {
      return readFileSync(p, "utf8").replace(/\r?\n$/, "");
    } catch (e) {
      throw new ConfigError(`${key}_file: ${(e as Error).message}`);
    }
  }
  return undefined;
}

/** Validates an absolute http(s) URL setting. */
export function checkURL(v: string, key: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(`${key}: invalid URL ${JSON.stringify(v)}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new ConfigError(`${key}: unsupported scheme "${u.protocol.replace(":", "")}" for URL`);
  return v;
}

/** Go's time.Time JSON encoding (RFC3339Nano, UTC) of ms; 0 → `0001-01-01T00:00:00Z`. */
export function goTimeJSON(ms: number): string {
  if (!ms) return "0001-01-01T00:00:00Z";
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z").replace(/(\.\d*?)0+Z$/, "$1Z");
}

/** A copy of a string map with keys in sorted order (how Go's encoding/json writes maps). */
export function sortedRecord(m: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k]!;
  return out;
}
