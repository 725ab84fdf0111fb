/**
 * @module core/util/config-check
 * Small strict readers for YAML-decoded configuration sections (plain JS values from the `yaml`
 * package). Every failure throws a {@link ConfigError} whose message starts with the key path
 * (`scrape_configs[0].scrape_interval: …`), so users see what, where and why.
 *
 * Invariants: string readers accept any scalar (a YAML `9100` or `true` reads as "9100" / "true", as Go's
 * yaml decoder fills string fields), but no other reader coerces (a quoted "10" is not an int, as Go
 * refuses it too); unknown keys are rejected like `yaml.UnmarshalStrict`; `null` means "absent".
 */
import { ConfigError } from "./errors.ts";
import { parseDuration } from "./duration.ts";

/** A decoded YAML mapping. */
export type RawObject = Record<string, unknown>;

/** Throws a ConfigError for `path`. */
export function configFail(path: string, reason: string): never {
  throw new ConfigError(path ? `${path}: ${reason}` : reason, undefined, path);
}

/** Joins a parent path and a key (`a.b`, `a[0]`). */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** Returns `raw` as a mapping (null/undefined gives `{}`), rejecting keys not in `allowed`. */
export function expectObject(raw: unknown, path: string, allowed?: readonly string[]): RawObject {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) configFail(path, `expected a mapping, got ${typeName(raw)}`);
  const obj = raw as RawObject;
  if (allowed) {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) configFail(joinPath(path, k), `unknown key "${k}"`);
    }
  }
  return obj;
}

/** Returns `raw` as a list (null/undefined gives `[]`). */
export function expectList(raw: unknown, path: string): unknown[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) configFail(path, `expected a list, got ${typeName(raw)}`);
  return raw;
}

/** A scalar as Go's yaml decoder stores it in a string field, or undefined when `v` is not a scalar. */
export function scalarString(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if ((typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean") return String(v);
  return undefined;
}

/** Reads an optional string key (numbers and booleans read as their text). */
export function readString(obj: RawObject, key: string, path: string, def: string): string;
export function readString(obj: RawObject, key: string, path: string, def?: string): string | undefined;
export function readString(obj: RawObject, key: string, path: string, def?: string): string | undefined {
  const v = obj[key];
  if (v === null || v === undefined) return def;
  const str = scalarString(v);
  if (str === undefined) configFail(joinPath(path, key), `expected a string, got ${typeName(v)}`);
  return str;
}

/** Reads an optional boolean key. */
export function readBool(obj: RawObject, key: string, path: string, def: boolean): boolean {
  const v = obj[key];
  if (v === null || v === undefined) return def;
  if (typeof v !== "boolean") configFail(joinPath(path, key), `expected true or false, got ${typeName(v)}`);
  return v;
}

/** Reads an optional non-negative integer key. */
export function readUint(obj: RawObject, key: string, path: string, def: number): number {
  const v = obj[key];
  if (v === null || v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    configFail(joinPath(path, key), `expected a non-negative integer, got ${typeName(v)}`);
  }
  return v;
}

/** Reads an optional duration key (Prometheus syntax) as milliseconds. */
export function readDuration(obj: RawObject, key: string, path: string, def: number): number;
export function readDuration(obj: RawObject, key: string, path: string, def?: number): number | undefined;
export function readDuration(obj: RawObject, key: string, path: string, def?: number): number | undefined {
  const v = obj[key];
  if (v === null || v === undefined) return def;
  if (typeof v !== "string") configFail(joinPath(path, key), `expected a duration string, got ${typeName(v)}`);
  try {
    return parseDuration(v);
  } catch (e) {
    configFail(joinPath(path, key), (e as Error).message);
  }
}

/** Reads an optional list of strings. */
export function readStringList(obj: RawObject, key: string, path: string): string[] | undefined {
  const v = obj[key];
  if (v === null || v === undefined) return undefined;
  const p = joinPath(path, key);
  return expectList(v, p).map((x, i) => {
    const str = scalarString(x);
    if (str === undefined) configFail(joinPath(p, i), `expected a string, got ${typeName(x)}`);
    return str;
  });
}

/** Reads an optional mapping of string → string (scalar values read as their text, as in Go). */
export function readStringMap(obj: RawObject, key: string, path: string): Record<string, string> | undefined {
  const v = obj[key];
  if (v === null || v === undefined) return undefined;
  const p = joinPath(path, key);
  const m = expectObject(v, p);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(m)) {
    const str = scalarString(x);
    if (str === undefined) configFail(joinPath(p, k), `expected a string, got ${typeName(x)}`);
    out[k] = str;
  }
  return out;
}

/** Label names as Prometheus validates them in configs (the legacy character set). */
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
