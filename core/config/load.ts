/**
 * @module core/config/load
 * Loads prometheus.yml: YAML → typed config, strictly (unknown keys rejected), defaults applied, every
 * error naming the file, the key path and the reason.
 *
 * Sections owned by other components (scrape_configs, alerting, remote_write, remote_read) are parsed by
 * {@link SectionParser}s that the composition root passes in, so core/config depends on nothing above it.
 * Known Prometheus sections without a parser are rejected with "not supported by Quiver yet".
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseDocument, YAMLParseError } from "yaml";
import { configFail, expectList, expectObject, joinPath, readDuration, readUint } from "../util/config-check.ts";
import { ConfigError, errorMessage } from "../util/errors.ts";
import { parseGlobal, type GlobalConfig } from "./global.ts";
import { expandGlob, validateGlob } from "./glob.ts";
import { parsePlugins, type PluginInstanceConfig } from "./plugins.ts";

/** Context handed to section parsers. */
export interface SectionContext {
  global: GlobalConfig;
  /** Directory of the config file, for resolving relative paths. */
  dir: string;
  /** The key path of the section (e.g. `scrape_configs`). */
  path: string;
  /** Expands a file glob relative to `dir` (for scrape_config_files, file_sd). */
  expandGlob(pattern: string): string[];
}

/** Parses one top-level section. `raw` is undefined when the key is absent. Throws ConfigError. */
export type SectionParser<T> = (raw: unknown, ctx: SectionContext) => T;

/** The `storage:` section. */
export interface StorageConfig {
  /** storage.tsdb.out_of_order_time_window in ms. */
  outOfOrderTimeWindow: number;
  /** storage.exemplars.max_exemplars. */
  maxExemplars: number;
}

/** A loaded config. `S` holds the results of the injected section parsers. */
export interface Config<S extends object = Record<string, unknown>> {
  /** Absolute path of the file, or undefined for the embedded default. */
  file?: string;
  dir: string;
  /** The YAML text as loaded (what /api/v1/status/config shows). */
  text: string;
  global: GlobalConfig;
  /** rule_files patterns, resolved against the config directory. */
  ruleFiles: string[];
  storage: StorageConfig;
  plugins: PluginInstanceConfig[];
  sections: S;
  /** Non-fatal notes (ignored sections) to log. */
  warnings: string[];
}

/** Section parsers keyed by top-level key. */
export type SectionParsers<S extends object> = { [K in keyof S]: SectionParser<S[K]> };

/** Options of {@link parseConfig}. */
export interface LoadOptions<S extends object> {
  file?: string;
  /** Directory for relative paths when `file` is not given. Default: the working directory. */
  dir?: string;
  parsers: SectionParsers<S>;
}

const TOP_KEYS = [
  "global", "scrape_configs", "scrape_config_files", "rule_files", "alerting", "remote_write", "remote_read",
  "storage", "tracing", "otlp", "runtime", "plugins",
];
const IGNORED = ["tracing", "otlp", "runtime"];
const OWN = ["global", "rule_files", "storage", "plugins"];

/** Parses YAML text (merge keys allowed, duplicate keys rejected); syntax errors give line and column. */
export function parseYaml(text: string, file?: string): unknown {
  const doc = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = e instanceof YAMLParseError && e.linePos ? ` line ${e.linePos[0].line} column ${e.linePos[0].col}` : "";
    throw new ConfigError(`${file ? file + ": " : ""}parsing YAML file:${pos}: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, file);
  }
  return doc.toJS({ maxAliasCount: 10_000 });
}

/** Parses config text. Throws ConfigError (message prefixed with the file) on any problem. */
export function parseConfig<S extends object>(text: string, opts: LoadOptions<S>): Config<S> {
  const file = opts.file;
  try {
    return parseConfigInner(text, opts);
  } catch (e) {
    if (e instanceof ConfigError && file && !e.message.startsWith(file)) {
      throw new ConfigError(`${file}: ${e.message}`, file, e.path, { cause: e });
    }
    throw e;
  }
}

function parseConfigInner<S extends object>(text: string, opts: LoadOptions<S>): Config<S> {
  const file = opts.file;
  const dir = file ? dirname(file) : resolve(opts.dir ?? ".");
  const raw = parseYaml(text, file);
  const o = expectObject(raw, "", [...new Set([...TOP_KEYS, ...Object.keys(opts.parsers)])]);
  const global = parseGlobal(o.global, "global");
  const warnings: string[] = [];
  for (const k of IGNORED) if (o[k] !== undefined) warnings.push(`config section ${k} is accepted but not used by Quiver yet`);

  const ruleFiles = expectList(o.rule_files, "rule_files").map((x, i) => {
    const at = joinPath("rule_files", i);
    if (typeof x !== "string") configFail(at, `expected a file path, got ${JSON.stringify(x)}`);
    try {
      validateGlob(x);
    } catch (e) {
      configFail(at, `invalid rule file path ${JSON.stringify(x)}: ${errorMessage(e)}`);
    }
    return resolve(dir, x);
  });
  const storage = parseStorage(o.storage, "storage");
  const plugins = parsePlugins(o.plugins, "plugins");

  const sections = {} as S;
  for (const key of Object.keys(opts.parsers) as Array<keyof S & string>) {
    const ctx: SectionContext = { global, dir, path: key, expandGlob: (p) => expandGlob(p, dir) };
    sections[key] = opts.parsers[key](o[key], ctx);
  }
  for (const key of TOP_KEYS) {
    if (o[key] === undefined || o[key] === null || key in opts.parsers || OWN.includes(key) || IGNORED.includes(key)) continue;
    const empty = Array.isArray(o[key]) && (o[key] as unknown[]).length === 0;
    if (!empty) configFail(key, "this section is not supported by Quiver yet");
  }
  return { file, dir, text, global, ruleFiles, storage, plugins, sections, warnings };
}

/** Reads and parses a config file. Throws ConfigError naming the file on any problem. */
export function loadConfigFile<S extends object>(path: string, parsers: SectionParsers<S>): Config<S> {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`couldn't load configuration (--config.file=${JSON.stringify(path)}): ${errorMessage(e)}`, file);
  }
  return parseConfig(text, { file, parsers });
}

function parseStorage(raw: unknown, path: string): StorageConfig {
  const o = expectObject(raw, path, ["tsdb", "exemplars"]);
  const tp = joinPath(path, "tsdb");
  const tsdb = expectObject(o.tsdb, tp, ["out_of_order_time_window", "stale_series_compaction_threshold"]);
  const ep = joinPath(path, "exemplars");
  const ex = expectObject(o.exemplars, ep, ["max_exemplars"]);
  return {
    outOfOrderTimeWindow: readDuration(tsdb, "out_of_order_time_window", tp, 0),
    maxExemplars: readUint(ex, "max_exemplars", ep, 100_000),
  };
}
