/**
 * @module core/discovery/file
 * file_sd_configs: reads JSON or YAML files of target groups matched by the configured patterns (a `*`
 * is allowed in the last path segment), re-reads them when they change (fs.watch on their directories)
 * and every refresh_interval. Each group gets `__meta_filepath` and the source `<path>:<index>`.
 *
 * As in Prometheus: a file that fails to parse keeps its previous groups (and is logged); groups that
 * disappear (the file was removed or shrank) are emitted as empty groups so their targets go away.
 */
import { readdirSync, readFileSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, resolve } from "node:path";
import { parse as parseYAML } from "yaml";
import type { Logger } from "../log/logger.ts";
import type { FileSDConfig } from "./config.ts";
import { decodeTargetGroups } from "./groups.ts";
import { sleep, type CountFn, type Discoverer, type EmitFn, type TargetGroup } from "./types.ts";

/** Debounce between a change notification and the re-read, in ms. */
export const FILE_SD_WATCH_DEBOUNCE_MS = 50;

function globToRegExp(pat: string): RegExp {
  let src = "";
  for (const c of pat) {
    if (c === "*") src += "[^/]*";
    else if (c === "?") src += "[^/]";
    else src += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${src}$`);
}

/** Lists files matching the patterns, sorted (patterns already resolved to absolute paths). */
export function listFiles(patterns: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of patterns) {
    const dir = dirname(p), base = basename(p);
    if (!/[*?]/.test(base)) {
      try {
        if (readdirSync(dir).includes(base)) out.add(p);
      } catch { /* missing directory: no files */ }
      continue;
    }
    const re = globToRegExp(base);
    try {
      for (const f of readdirSync(dir)) if (re.test(f)) out.add(join(dir, f));
    } catch { /* missing directory */ }
  }
  return [...out].sort();
}

/** Reads one file into target groups. Throws on unreadable or invalid content. */
export function readTargetFile(path: string): TargetGroup[] {
  const text = readFileSync(path, "utf8");
  const ext = extname(path).toLowerCase();
  const doc = ext === ".json" ? JSON.parse(text) : parseYAML(text);
  return decodeTargetGroups(doc, path, { __meta_filepath: path }, ext !== ".json");
}

/** Creates a file_sd discoverer. Relative patterns are resolved against `configDir`. */
export function fileDiscoverer(cfg: FileSDConfig, opts: { logger: Logger; configDir: string; count?: CountFn }): Discoverer {
  const patterns = cfg.files.map((f) => (isAbsolute(f) ? f : resolve(opts.configDir, f)));
  const lastCount = new Map<string, number>();

  const refresh = (emit: EmitFn) => {
    const seen = new Map<string, number>();
    const out: TargetGroup[] = [];
    for (const f of listFiles(patterns)) {
      try {
        const groups = readTargetFile(f);
        out.push(...groups);
        seen.set(f, groups.length);
      } catch (e) {
        opts.logger.error("Error reading file", { path: f, err: (e as Error).message });
        opts.count?.("prometheus_sd_file_read_errors_total");
        seen.set(f, lastCount.get(f) ?? 0); // keep what we had
      }
    }
    for (const [f, n] of lastCount) {
      const m = seen.get(f) ?? 0;
      for (let i = m; i < n; i++) out.push({ targets: [], labels: {}, source: `${f}:${i}` });
    }
    lastCount.clear();
    for (const [f, n] of seen) lastCount.set(f, n);
    if (out.length > 0) emit(out);
  };

  return {
    async run(signal, emit) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const watchers: FSWatcher[] = [];
      const schedule = () => {
        if (timer || signal.aborted) return;
        timer = setTimeout(() => {
          timer = undefined;
          if (!signal.aborted) refresh(emit);
        }, FILE_SD_WATCH_DEBOUNCE_MS);
      };
      for (const dir of new Set(patterns.map((p) => dirname(p)))) {
        try {
          const w = watch(dir, () => schedule());
          w.on("error", () => {});
          watchers.push(w);
        } catch (e) {
          opts.logger.warn("Cannot watch directory, relying on refresh_interval", { dir, err: (e as Error).message });
        }
      }
      try {
        refresh(emit);
        while (!signal.aborted) {
          await sleep(cfg.refresh_interval, signal);
          if (!signal.aborted) refresh(emit);
        }
      } finally {
        if (timer) clearTimeout(timer);
        for (const w of watchers) w.close();
      }
    },
  };
}
