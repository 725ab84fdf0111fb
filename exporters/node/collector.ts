/**
 * @module exporters/node/collector
 * The contract of a node collector and the helpers every collector uses: paths under --path.procfs,
 * --path.sysfs and --path.rootfs, abortable file reads, and {@link FamilySet}, which accumulates samples
 * per family with node_exporter's HELP text and type.
 *
 * A collector's `update` returns families or throws: a throw makes node_scrape_collector_success 0 for that
 * collector alone. {@link NoDataError} is node_exporter's ErrNoData (logged at debug, counted as failure).
 */
import { readdir, readFile, readlink, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../core/log/logger.ts";
import type { MetricFamily, MetricType } from "../../core/model/metric-family.ts";

/** Flag values collectors read (`--collector.<name>.<option>` keys → value(s)). */
export type CollectorFlags = ReadonlyMap<string, string[]>;

/** What a collector gets at each scrape. */
export interface CollectorContext {
  /** Joins parts under --path.procfs. */
  proc(...parts: string[]): string;
  /** Joins parts under --path.sysfs. */
  sys(...parts: string[]): string;
  /** Joins parts under --path.rootfs. */
  rootfs(...parts: string[]): string;
  /** The last value of a collector option flag, e.g. `opt("collector.textfile.directory")`. */
  opt(name: string): string | undefined;
  /** Every value of a repeatable option flag. */
  opts(name: string): string[];
  logger: Logger;
  /** Aborted when this collector's timeout expires. */
  signal: AbortSignal;
  /** Clock in ms since the epoch. */
  now(): number;
}

/** A collector: one per node_exporter collector name. */
export interface NodeCollector {
  update(ctx: CollectorContext): Promise<MetricFamily[]>;
}

/** node_exporter's ErrNoData: the collector found nothing to report (logged at debug). */
export class NoDataError extends Error {
  constructor(message = "collector returned no data") {
    super(message);
  }
}

/** Reads a text file, abandoning it when `signal` aborts. */
export function readText(path: string, signal: AbortSignal): Promise<string> {
  return readFile(path, { encoding: "utf8", signal });
}

/** Reads a text file and trims it, or returns null when it does not exist or cannot be read. */
export async function readOptional(path: string, signal: AbortSignal): Promise<string | null> {
  try {
    return (await readFile(path, { encoding: "utf8", signal })).trim();
  } catch (e) {
    if (signal.aborted) throw e;
    return null;
  }
}

/** Lists a directory (names only), racing against `signal`. Throws if it does not exist. */
export function listDir(path: string, signal: AbortSignal): Promise<string[]> {
  return abortable(readdir(path), signal).then((names) => names.sort());
}

/** Lists a directory, or returns [] when it does not exist. */
export async function listDirOptional(path: string, signal: AbortSignal): Promise<string[]> {
  try {
    return await listDir(path, signal);
  } catch (e) {
    if (signal.aborted) throw e;
    return [];
  }
}

/** Whether `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The target of a symlink, or null. */
export async function readLinkOptional(path: string): Promise<string | null> {
  try {
    return await readlink(path);
  } catch {
    return null;
  }
}

/** Races a promise against an abort signal (the underlying operation is abandoned, not cancelled). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** Accumulates samples per family, keeping first-declared HELP and type. */
export class FamilySet {
  private readonly fams = new Map<string, MetricFamily>();

  /** Adds one sample to family `name` (created with `help` and `type` on first use). */
  add(name: string, type: MetricType, help: string, value: number, labels: Record<string, string> = {}): void {
    let f = this.fams.get(name);
    if (!f) this.fams.set(name, (f = { name, type, help, samples: [] }));
    f.samples.push({ name, labels, value });
  }

  /** Adds a gauge sample. */
  gauge(name: string, help: string, value: number, labels?: Record<string, string>): void {
    this.add(name, "gauge", help, value, labels);
  }

  /** Adds a counter sample. */
  counter(name: string, help: string, value: number, labels?: Record<string, string>): void {
    this.add(name, "counter", help, value, labels);
  }

  /** Adds an untyped sample. */
  untyped(name: string, help: string, value: number, labels?: Record<string, string>): void {
    this.add(name, "untyped", help, value, labels);
  }

  /** Families in insertion order. */
  families(): MetricFamily[] {
    return [...this.fams.values()];
  }
}

/** Splits text into lines, dropping a trailing empty line. */
export function lines(text: string): string[] {
  const out = text.split("\n");
  if (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}

/** Splits a line on runs of whitespace (Go's strings.Fields). */
export function fields(line: string): string[] {
  return line.trim().split(/\s+/).filter((s) => s !== "");
}

/** Joins path parts (re-exported for collectors). */
export { join };
