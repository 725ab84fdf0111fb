/**
 * @module core/rules/types
 * Shared types of the rule engine: the injected query function, rule health, the clock, and the alert
 * shape sent to the notifier. Times are ms since the Unix epoch; 0 means "never" (Go's zero time).
 */
import type { Labels } from "../model/labels.ts";

/** One element of an instant vector. A scalar result must be given as one sample with empty labels. */
export interface RuleSample {
  labels: Labels;
  value: number;
}

/**
 * Evaluates `query` at `tMs` (ms) and returns an instant vector. Rejects on evaluation errors. The
 * composition root wires core/promql's engine here; rules never import the engine.
 */
export type QueryFunc = (query: string, tMs: number) => Promise<RuleSample[]>;

/** Rule health as /api/v1/rules reports it. */
export type RuleHealth = "unknown" | "ok" | "err";

/** Alert states of Prometheus's alerting rules. */
export type AlertState = "inactive" | "pending" | "firing";

/** A clock with timers, injectable for tests. */
export interface Clock {
  /** Current time in ms since the epoch. */
  now(): number;
  /** Calls `fn` after `ms` milliseconds; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

/** The real clock. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const h = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(h);
  },
};

/** Formats ms as Go's RFC3339Nano in UTC (`0001-01-01T00:00:00Z` for 0). */
export function rfc3339(ms: number): string {
  if (!ms) return "0001-01-01T00:00:00Z";
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.000Z$/, "Z").replace(/(\.\d*?)0+Z$/, "$1Z");
}
