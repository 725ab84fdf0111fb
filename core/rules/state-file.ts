/**
 * @module core/rules/state-file
 * Quiver's addition to Prometheus's for-state restore: the full state of every active alert (state,
 * activeAt, firedAt, keepFiringSince, lastSentAt, …) is written to a JSON file after evaluations, and read
 * back at startup. A restart then neither re-pends a firing alert, nor resolves one that is kept firing by
 * keep_firing_for, nor re-sends a notification before the resend delay.
 *
 * The file is replaced atomically (write to a temp file, then rename). A file older than the outage
 * tolerance is ignored, as Prometheus ignores older ALERTS_FOR_STATE samples. Pending alerts have the
 * downtime added to activeAt (as Prometheus's restore does), so they never fire earlier than `for`.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Labels } from "../model/labels.ts";
import type { RuleAlert } from "./alerting.ts";
import type { Group } from "./group.ts";

/** Format version of the state file. */
export const STATE_FILE_VERSION = 1;

interface SavedAlert extends Omit<RuleAlert, "labels" | "fromStateFile"> {
  labels: Record<string, string>;
}

interface StateFile {
  version: number;
  savedAt: number;
  /** group key → rule key → alerts */
  groups: Record<string, Record<string, SavedAlert[]>>;
}

function ruleStateKey(name: string, query: string): string {
  return `${name}\n${query}`;
}

/** Serializes the alert state of `groups` at `nowMs`. */
export function snapshotState(groups: readonly Group[], nowMs: number): string {
  const out: StateFile = { version: STATE_FILE_VERSION, savedAt: nowMs, groups: {} };
  for (const g of groups) {
    const rules: Record<string, SavedAlert[]> = {};
    for (const r of g.rules) {
      if (r.kind !== "alerting" || r.active.size === 0) continue;
      rules[ruleStateKey(r.name, r.cfg.query)] = [...r.active.values()].map((a) => {
        const { fromStateFile: _f, labels, ...rest } = a;
        return { ...rest, labels: labels.toObject() };
      });
    }
    if (Object.keys(rules).length) out.groups[g.key] = rules;
  }
  return JSON.stringify(out);
}

/** Writes `text` to `path` atomically (temp file + rename). */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Reads a state file; returns null when absent or unreadable (the caller logs). */
export function readState(path: string): StateFile | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  const s = JSON.parse(text) as StateFile;
  if (s.version !== STATE_FILE_VERSION || typeof s.savedAt !== "number" || typeof s.groups !== "object") {
    throw new Error(`unsupported rule state file version ${String(s.version)}`);
  }
  return s;
}

/**
 * Applies saved alert state to freshly created groups. Returns the number of alerts restored. Rules
 * with restored alerts are marked restored (they write ALERTS from the first evaluation on).
 */
export function applyState(state: StateFile, groups: readonly Group[], nowMs: number, outageToleranceMs: number): number {
  if (nowMs - state.savedAt > outageToleranceMs) return 0;
  const down = Math.max(0, nowMs - state.savedAt);
  let n = 0;
  for (const g of groups) {
    const saved = state.groups[g.key];
    if (!saved) continue;
    for (const r of g.rules) {
      if (r.kind !== "alerting") continue;
      const alerts = saved[ruleStateKey(r.name, r.cfg.query)];
      if (!alerts) continue;
      for (const a of alerts) {
        const labels = Labels.from(a.labels);
        const restored: RuleAlert = { ...a, labels, fromStateFile: true };
        if (restored.state === "pending") restored.activeAt += down;
        r.active.set(labels.key(), restored);
        n++;
      }
      r.restored = true;
    }
  }
  return n;
}
