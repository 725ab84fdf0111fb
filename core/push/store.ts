/**
 * @module core/push/store
 * Pushgateway-compatible metric groups: PUT replaces a group, POST replaces only the pushed metric
 * names within it, DELETE removes it. Each group carries `push_time_seconds` and
 * `push_failure_time_seconds` (Unix seconds of its last successful and failed change; 0 = never).
 *
 * Invariants (checked on every push, as the Pushgateway's consistency check):
 * - pushed samples carry no timestamps;
 * - labels named like grouping-key labels are overwritten with the URL's values;
 * - metrics without an `instance` label get `instance=""`, as the Pushgateway does, so a scrape with
 *   honor_labels does not attach the Pushgateway's own address as instance;
 * - across all groups a metric name has one type, and no series (name + labels) appears twice;
 * - pushed metrics may not be named push_time_seconds / push_failure_time_seconds.
 * A rejected push leaves the group's metrics unchanged and sets its failure time.
 *
 * Persistence: the whole store is written atomically (tmp + rename) to `file` after each change and
 * loaded at construction, so groups survive restarts (the Pushgateway's --persistence.file).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "../log/logger.ts";
import type { ExposedSample, MetricFamily } from "../model/metric-family.ts";
import { BadDataError, errorMessage } from "../util/errors.ts";
import { groupingKeyString, type GroupingKey } from "./grouping.ts";

/** Names the store itself exposes per group. */
export const PUSH_TIME = "push_time_seconds";
export const PUSH_FAILURE_TIME = "push_failure_time_seconds";

interface Group {
  labels: GroupingKey;
  families: Map<string, MetricFamily>;
  /** ms since the epoch, 0 = never. */
  pushTime: number;
  failureTime: number;
}

/** Options of {@link PushStore}. */
export interface PushStoreOptions {
  /** Persistence file (e.g. `<data>/pushgateway.json`); undefined keeps groups in memory only. */
  file?: string;
  logger: Logger;
  now?: () => number;
}

/** A copy of a label object with names in sorted order (exposition order, as the Pushgateway's). */
function sortedLabels(o: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k]!;
  return out;
}

/** Push methods. */
export type PushMethod = "PUT" | "POST";

/** The pushed groups. */
export class PushStore {
  #groups = new Map<string, Group>();
  readonly #o: PushStoreOptions;
  readonly #now: () => number;

  constructor(o: PushStoreOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    if (o.file) this.#load(o.file);
  }

  /**
   * Applies a push of parsed families to the group `key`. Throws BadDataError (after recording the
   * failure time) when the push is invalid or inconsistent.
   */
  push(method: PushMethod, key: GroupingKey, families: readonly MetricFamily[]): void {
    const id = groupingKeyString(key);
    const existing = this.#groups.get(id);
    try {
      const incoming = new Map<string, MetricFamily>();
      for (const f of families) {
        if (f.name === PUSH_TIME || f.name === PUSH_FAILURE_TIME) throw new BadDataError(`pushed metrics must not be named ${f.name} (it is set by the push gateway)`);
        const samples: ExposedSample[] = f.samples.map((s) => {
          if (s.timestampMs !== undefined) throw new BadDataError(`pushed metrics must not have timestamps (metric ${s.name})`);
          return { name: s.name, labels: sortedLabels({ instance: "", ...s.labels, ...key }), value: s.value };
        });
        const have = incoming.get(f.name);
        if (have) have.samples.push(...samples);
        else incoming.set(f.name, { name: f.name, type: f.type, help: f.help, unit: f.unit, samples });
      }
      const next = method === "PUT" ? incoming : new Map([...(existing?.families ?? new Map()), ...incoming]);
      this.#checkConsistency(id, next);
      this.#groups.set(id, { labels: sortedLabels(key), families: next, pushTime: this.#now(), failureTime: existing?.failureTime ?? 0 });
    } catch (e) {
      const g = existing ?? { labels: sortedLabels(key), families: new Map(), pushTime: 0, failureTime: 0 };
      g.failureTime = this.#now();
      this.#groups.set(id, g);
      this.#save();
      throw e instanceof BadDataError ? e : new BadDataError(errorMessage(e));
    }
    this.#save();
  }

  /** Deletes the group `key` (a no-op when absent). */
  delete(key: GroupingKey): void {
    if (this.#groups.delete(groupingKeyString(key))) this.#save();
  }

  /** Deletes every group (the Pushgateway's admin wipe). */
  wipe(): void {
    this.#groups.clear();
    this.#save();
  }

  /** Number of groups. */
  get size(): number {
    return this.#groups.size;
  }

  #checkConsistency(replacing: string, next: Map<string, MetricFamily>): void {
    const types = new Map<string, string>();
    const series = new Set<string>();
    const visit = (f: MetricFamily) => {
      const t = types.get(f.name);
      if (t !== undefined && t !== f.type) throw new BadDataError(`pushed metrics are inconsistent with existing metrics: metric ${f.name} has type ${f.type}, but type ${t} elsewhere`);
      types.set(f.name, f.type);
      for (const s of f.samples) {
        const k = s.name + JSON.stringify(Object.entries(s.labels).filter(([, v]) => v !== "").sort());
        if (series.has(k)) throw new BadDataError(`pushed metrics are inconsistent with existing metrics: collected metric ${s.name} ${JSON.stringify(s.labels)} was collected before with the same name and label values`);
        series.add(k);
      }
    };
    for (const [id, g] of this.#groups) if (id !== replacing) for (const f of g.families.values()) visit(f);
    for (const f of next.values()) visit(f);
  }

  /**
   * The families to expose, merged by name across groups (groups in key order), plus push_time_seconds
   * and push_failure_time_seconds per group. Fresh objects owned by the caller.
   */
  families(): MetricFamily[] {
    const groups = [...this.#groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, g]) => g);
    const byName = new Map<string, MetricFamily>();
    const add = (f: MetricFamily) => {
      const have = byName.get(f.name);
      if (have) have.samples.push(...f.samples.map((s) => ({ ...s, labels: { ...s.labels } })));
      else byName.set(f.name, { ...f, samples: f.samples.map((s) => ({ ...s, labels: { ...s.labels } })) });
    };
    for (const g of groups) for (const f of g.families.values()) add(f);
    const pt: MetricFamily = { name: PUSH_TIME, type: "gauge", help: "Last Unix time when changing this group in the Pushgateway succeeded.", samples: [] };
    const pf: MetricFamily = { name: PUSH_FAILURE_TIME, type: "gauge", help: "Last Unix time when changing this group in the Pushgateway failed.", samples: [] };
    for (const g of groups) {
      const labels = sortedLabels({ instance: "", ...g.labels });
      pt.samples.push({ name: PUSH_TIME, labels, value: g.pushTime / 1000 });
      pf.samples.push({ name: PUSH_FAILURE_TIME, labels: { ...labels }, value: g.failureTime / 1000 });
    }
    const out = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    if (groups.length) out.push(pf, pt);
    return out;
  }

  #save(): void {
    const file = this.#o.file;
    if (!file) return;
    const body = {
      version: 1,
      groups: [...this.#groups.values()].map((g) => ({
        labels: g.labels, pushTime: g.pushTime, failureTime: g.failureTime,
        families: [...g.families.values()].map((f) => ({ ...f, samples: f.samples.map((s) => ({ name: s.name, labels: s.labels, value: String(s.value) })) })),
      })),
    };
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file + ".tmp", JSON.stringify(body));
      renameSync(file + ".tmp", file);
    } catch (e) {
      this.#o.logger.error("Cannot persist pushed metrics", { file, err: errorMessage(e) });
    }
  }

  #load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return;
    }
    try {
      const doc = JSON.parse(text) as { version: number; groups: Array<{ labels: GroupingKey; pushTime: number; failureTime: number; families: Array<MetricFamily & { samples: Array<{ name: string; labels: Record<string, string>; value: string }> }> }> };
      if (doc.version !== 1) throw new Error(`unknown version ${doc.version}`);
      for (const g of doc.groups) {
        const families = new Map<string, MetricFamily>();
        for (const f of g.families) families.set(f.name, { ...f, samples: f.samples.map((s) => ({ name: s.name, labels: s.labels, value: Number(s.value) })) });
        this.#groups.set(groupingKeyString(g.labels), { labels: g.labels, families, pushTime: g.pushTime, failureTime: g.failureTime });
      }
      this.#o.logger.info("Loaded pushed metric groups", { file, groups: this.#groups.size });
    } catch (e) {
      this.#o.logger.error("Ignoring unreadable pushgateway persistence file", { file, err: errorMessage(e) });
    }
  }
}
