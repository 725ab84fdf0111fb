/**
 * @module core/push/grouping
 * The Pushgateway's grouping key in URL paths: `/metrics/job/<JOB>{/<LABEL>/<VALUE>}`. A name suffixed
 * `@base64` marks its value as base64url (RFC 4648 §5; padding optional; a single `=` encodes the
 * empty value). Other segments are percent-decoded. The job must not be empty; label names must be
 * valid and not repeated; names starting with `__` are reserved.
 */
import { Buffer } from "node:buffer";
import { LABEL_NAME_RE } from "../util/config-check.ts";
import { BadDataError } from "../util/errors.ts";

/** A grouping key: label name → value, `job` always present. */
export type GroupingKey = Record<string, string>;

/** Decodes base64url (padding optional). Throws BadDataError on invalid input. */
export function decodeBase64Url(s: string): string {
  if (s === "=" || s === "") return "";
  const clean = s.replace(/=+$/, "");
  if (!/^[A-Za-z0-9_-]*$/.test(clean) || clean.length % 4 === 1) throw new BadDataError(`invalid base64 string: ${JSON.stringify(s)}`);
  return Buffer.from(clean.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
}

/** Encodes base64url without padding (`=` for the empty string), as client libraries do. */
export function encodeBase64Url(s: string): string {
  if (s === "") return "=";
  return Buffer.from(s, "utf8").toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new BadDataError(`invalid percent-encoding in path segment ${JSON.stringify(s)}`);
  }
}

/**
 * Parses the part of the path after `/metrics/` (e.g. `job/backup/instance@base64/L3Zhcg`). Throws
 * BadDataError with the Pushgateway's reasons.
 */
export function parseGroupingPath(rest: string): GroupingKey {
  const parts = rest.split("/");
  if (parts[parts.length - 1] === "") parts.pop();
  if (parts.length < 2 || (parts[0] !== "job" && parts[0] !== "job@base64")) throw new BadDataError("the URL path must start with /metrics/job/<JOB>");
  if (parts.length % 2 !== 0) throw new BadDataError(`odd number of components in label string ${JSON.stringify(parts.slice(2).join("/"))}`);
  const key: GroupingKey = {};
  for (let i = 0; i < parts.length; i += 2) {
    let name = decodeSegment(parts[i]!);
    let value = parts[i + 1]!;
    if (name.endsWith("@base64")) {
      name = name.slice(0, -7);
      value = decodeBase64Url(decodeSegment(value));
    } else value = decodeSegment(value);
    if (!LABEL_NAME_RE.test(name)) throw new BadDataError(`improper label name ${JSON.stringify(name)}`);
    if (name.startsWith("__")) throw new BadDataError(`label name ${JSON.stringify(name)} is reserved`);
    if (name in key) throw new BadDataError(`duplicate label name ${JSON.stringify(name)}`);
    key[name] = value;
  }
  if (key.job === "") throw new BadDataError("job name is required");
  return key;
}

/** A stable string for a grouping key (sorted names). */
export function groupingKeyString(k: GroupingKey): string {
  return JSON.stringify(Object.keys(k).sort().map((n) => [n, k[n]]));
}
