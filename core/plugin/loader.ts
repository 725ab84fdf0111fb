/**
 * @module core/plugin/loader
 * Discovers plugins: every sub-folder of the given plugin directories that has an `index.ts` (or
 * `index.js`) is imported and its default export checked against the contract. A plugin that fails to
 * import or is malformed is recorded with its error and never takes the server down. Later directories
 * override earlier ones by name (so --plugins.dir can replace a built-in).
 *
 * Re-scanning (on reload) re-imports a plugin whose entry file changed, using a cache-busting query.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Logger } from "../log/logger.ts";
import { errorMessage } from "../util/errors.ts";
import type { PluginDefinition, PluginKind } from "./types.ts";

const KINDS: readonly PluginKind[] = ["exporter", "notifier", "discoverer"];
const NAME_RE = /^[a-z][a-z0-9_]*$/;

/** A discovered plugin folder: its definition, or why it could not be loaded. */
export interface LoadedPlugin {
  name: string;
  dir: string;
  /** The entry file's modification time (ms), used to detect changes on re-scan. */
  mtimeMs: number;
  definition?: PluginDefinition;
  error?: string;
}

/** Checks a default export against the contract; returns a reason or undefined. */
export function validateDefinition(def: unknown, folder: string): string | undefined {
  if (typeof def !== "object" || def === null) return "index.ts has no default export (expected definePlugin({...}))";
  const d = def as Partial<PluginDefinition>;
  if (typeof d.name !== "string" || !NAME_RE.test(d.name)) return `plugin name ${JSON.stringify(d.name)} is invalid (lowercase letters, digits, _)`;
  if (d.name !== folder) return `plugin name ${JSON.stringify(d.name)} does not match its folder ${JSON.stringify(folder)}`;
  if (!KINDS.includes(d.kind as PluginKind)) return `plugin kind ${JSON.stringify(d.kind)} is not one of ${KINDS.join(", ")}`;
  if (typeof d.version !== "string" || d.version === "") return "plugin version is missing";
  if (typeof d.create !== "function") return "plugin has no create(ctx) function";
  return undefined;
}

function entryOf(dir: string): string | undefined {
  for (const f of ["index.ts", "index.js"]) {
    const p = join(dir, f);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * Loads every plugin folder under `dirs`. `previous` (from an earlier scan) avoids re-importing
 * unchanged plugins. Never throws for a bad plugin; logs and records it instead.
 */
export async function loadPlugins(
  dirs: readonly string[],
  logger: Logger,
  previous?: ReadonlyMap<string, LoadedPlugin>,
): Promise<Map<string, LoadedPlugin>> {
  const out = new Map<string, LoadedPlugin>();
  for (const base of dirs.map((d) => resolve(d))) {
    let names: string[];
    try {
      names = readdirSync(base).sort();
    } catch (e) {
      logger.warn("Cannot read plugin directory", { dir: base, err: errorMessage(e) });
      continue;
    }
    for (const name of names) {
      const dir = join(base, name);
      if (name.startsWith(".") || !statSync(dir).isDirectory()) continue;
      const entry = entryOf(dir);
      if (!entry) continue;
      const mtimeMs = statSync(entry).mtimeMs;
      const prev = previous?.get(name);
      if (prev && prev.dir === dir && prev.mtimeMs === mtimeMs) {
        out.set(name, prev);
        continue;
      }
      out.set(name, await importPlugin(name, dir, entry, mtimeMs, prev !== undefined, logger));
    }
  }
  return out;
}

async function importPlugin(name: string, dir: string, entry: string, mtimeMs: number, bust: boolean, logger: Logger): Promise<LoadedPlugin> {
  const url = pathToFileURL(entry).href + (bust ? `?v=${Math.floor(mtimeMs)}` : "");
  try {
    const mod = (await import(url)) as { default?: unknown };
    const reason = validateDefinition(mod.default, name);
    if (reason) {
      logger.error("Plugin rejected", { plugin: name, dir, err: reason });
      return { name, dir, mtimeMs, error: reason };
    }
    const definition = mod.default as PluginDefinition;
    logger.info("Plugin loaded", { plugin: name, kind: definition.kind, version: definition.version });
    return { name, dir, mtimeMs, definition };
  } catch (e) {
    const err = `import failed: ${errorMessage(e)}`;
    logger.error("Plugin failed to load", { plugin: name, dir, err });
    return { name, dir, mtimeMs, error: err };
  }
}
