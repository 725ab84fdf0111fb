/**
 * @module core/scrape/target
 * Targets: turning discovered label sets into scrape targets exactly as Prometheus's PopulateLabels does,
 * and the per-target state the targets API shows.
 *
 * Label population order: target labels override group labels; then job, __scrape_interval__,
 * __scrape_timeout__, __metrics_path__, __scheme__ and __param_<k> (first value) are set when absent;
 * the result is the target's "discovered labels"; relabel_configs run; a target without __address__ is
 * an error; __meta_* labels are removed; instance defaults to __address__. Labels starting with `__` stay
 * on the target (they define its URL) but are not attached to scraped series.
 */
import { createHash } from "node:crypto";
import { Labels, LabelsBuilder } from "../model/labels.ts";
import { processBuilder } from "../relabel/relabel.ts";
import { parseDuration } from "../util/duration.ts";
import { durationLabel, type ScrapeConfig } from "./config.ts";

/** Target health as the API reports it. */
export type TargetHealth = "up" | "down" | "unknown";

/** The result of {@link populateLabels}. */
export interface PopulatedLabels {
  /** Final labels, or null when relabeling dropped the target or an error occurred. */
  labels: Labels | null;
  /** Labels before relabeling (what the API calls discoveredLabels). */
  discovered: Labels;
  /** Why the target is invalid, when it is. */
  error?: string;
}

/**
 * Computes a target's labels from one discovered target and its group's labels (Prometheus's
 * PopulateLabels). Never throws; errors are returned.
 */
export function populateLabels(cfg: ScrapeConfig, targetLabels: Record<string, string>, groupLabels: Record<string, string>): PopulatedLabels {
  const lb = new LabelsBuilder(Labels.from({ ...groupLabels, ...targetLabels }));
  const defaults: Array<[string, string]> = [
    ["job", cfg.job_name],
    ["__scrape_interval__", durationLabel(cfg.scrape_interval)],
    ["__scrape_timeout__", durationLabel(cfg.scrape_timeout)],
    ["__metrics_path__", cfg.metrics_path],
    ["__scheme__", cfg.scheme],
  ];
  for (const [n, v] of defaults) if (lb.get(n) === "") lb.set(n, v);
  for (const [k, vs] of Object.entries(cfg.params)) {
    const n = `__param_${k}`;
    if (vs.length > 0 && lb.get(n) === "") lb.set(n, vs[0]!);
  }
  const discovered = lb.labels();
  const work = new LabelsBuilder(discovered);
  if (!processBuilder(work, cfg.relabel_configs)) return { labels: null, discovered };
  const addr = work.get("__address__");
  if (addr === "") return { labels: null, discovered, error: "no address" };
  if (addr.includes("/")) return { labels: null, discovered, error: `${JSON.stringify(addr)} is not a valid hostname` };
  const interval = work.get("__scrape_interval__"), timeout = work.get("__scrape_timeout__");
  let iv: number, to: number;
  try {
    iv = parseDuration(interval);
  } catch (e) {
    return { labels: null, discovered, error: `error parsing scrape interval: ${(e as Error).message}` };
  }
  if (iv === 0) return { labels: null, discovered, error: "scrape interval cannot be 0" };
  try {
    to = parseDuration(timeout);
  } catch (e) {
    return { labels: null, discovered, error: `error parsing scrape timeout: ${(e as Error).message}` };
  }
  if (to === 0) return { labels: null, discovered, error: "scrape timeout cannot be 0" };
  if (to > iv) return { labels: null, discovered, error: `scrape timeout cannot be greater than scrape interval (${JSON.stringify(timeout)} > ${JSON.stringify(interval)})` };
  const snapshot: string[] = [];
  work.forEach((n) => snapshot.push(n));
  for (const n of snapshot) if (n.startsWith("__meta_")) work.del(n);
  if (work.get("instance") === "") work.set("instance", addr);
  return { labels: work.labels(), discovered };
}

/** Go's url.QueryEscape: everything but [A-Za-z0-9-_.~] percent-encoded, space as '+'. */
export function goQueryEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%20/g, "+");
}

/** Go's path escaping (url.URL.EscapedPath): keeps unreserved characters and $&+,/:;=@, escapes the rest. */
export function goPathEscape(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c)) out += c;
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Builds the scrape URL: scheme://address + metrics path, params from the config overridden by __param_*. */
export function targetURL(labels: Labels, params: Readonly<Record<string, string[]>>): string {
  const q = new Map<string, string[]>();
  for (const [k, v] of Object.entries(params)) q.set(k, [...v]);
  labels.forEach((n, v) => {
    if (!n.startsWith("__param_")) return;
    const k = n.slice("__param_".length);
    const cur = q.get(k);
    if (cur && cur.length > 0) cur[0] = v;
    else q.set(k, [v]);
  });
  const keys = [...q.keys()].sort();
  const query = keys.flatMap((k) => q.get(k)!.map((v) => `${goQueryEscape(k)}=${goQueryEscape(v)}`)).join("&");
  let path = goPathEscape(labels.get("__metrics_path__"));
  if (path !== "" && !path.startsWith("/")) path = "/" + path;
  return `${labels.get("__scheme__")}://${labels.get("__address__")}${path}${query ? "?" + query : ""}`;
}

/** A scrape target: identity (labels + URL) and mutable health state. */
export class Target {
  /** Labels after relabeling, including `__`-prefixed ones. */
  readonly labels: Labels;
  /** Labels before relabeling. */
  readonly discoveredLabels: Labels;
  /** The scrape URL (for in-process targets, the URL the target would have; not fetched). */
  readonly url: string;
  /** Identity within a pool: labels + URL. */
  readonly hash: string;
  /** Scrape interval and timeout in ms, from the target's labels. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  health: TargetHealth = "unknown";
  lastError = "";
  /** ms since the epoch of the last scrape start, 0 before the first one. */
  lastScrape = 0;
  /** Seconds. */
  lastScrapeDuration = 0;
  /** Metadata from the last successful scrapes, by metric family name. */
  readonly metadata = new Map<string, { type: string; help: string; unit: string }>();

  constructor(labels: Labels, discovered: Labels, params: Readonly<Record<string, string[]>>) {
    this.labels = labels;
    this.discoveredLabels = discovered;
    this.url = targetURL(labels, params);
    this.hash = labels.key() + "\xff" + this.url;
    this.intervalMs = parseDuration(labels.get("__scrape_interval__"));
    this.timeoutMs = parseDuration(labels.get("__scrape_timeout__"));
  }

  /** The labels attached to scraped series: all target labels not starting with `__`. */
  publicLabels(): Labels {
    return this.labels.filter((n) => !n.startsWith("__"));
  }

  /**
   * The delay in ms from `nowMs` to this target's first scrape: a stable offset within the interval
   * derived from the target's identity (so targets spread out), pinned to absolute time as in Prometheus.
   */
  offset(intervalMs: number, nowMs: number, seed = 0): number {
    const h = createHash("md5").update(this.hash).digest().readUInt32BE(0) ^ seed;
    const base = intervalMs - (nowMs % intervalMs);
    let next = base + ((h >>> 0) % intervalMs);
    if (next > intervalMs) next -= intervalMs;
    return next;
  }
}
