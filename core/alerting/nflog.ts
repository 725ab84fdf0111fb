/**
 * @module core/alerting/nflog
 * The notification log: for each (group key, receiver integration) the fingerprints of the firing and
 * resolved alerts last notified and when. The dedup stage compares against it; entries expire after
 * the retention. Persisted as a snapshot after each change, so a restart does not re-send.
 * HA peers exchange entries (core/alerting/cluster.ts): {@link NotificationLog.merge} keeps the newer of two
 * entries for a key (by timestamp, as Alertmanager merges gossiped state), so merging is idempotent.
 */
import { readSnapshot, writeSnapshot } from "./persist.ts";

/** One log entry. Times in ms. */
export interface NflogEntry {
  groupKey: string;
  /** `<receiver>/<integration>/<index>`. */
  receiver: string;
  firing: string[];
  resolved: string[];
  timestamp: number;
  expiresAt: number;
}

/** Default retention of log entries (--data.retention), ms. */
export const DEFAULT_NFLOG_RETENTION_MS = 120 * 3_600_000;

/** The notification log. */
export class NotificationLog {
  private readonly byKey = new Map<string, NflogEntry>();

  constructor(private readonly opts: { now: () => number; file?: string; retentionMs?: number }) {
    if (opts.file) {
      const snap = readSnapshot<{ entries: NflogEntry[] }>(opts.file);
      for (const e of snap?.entries ?? []) this.byKey.set(`${e.receiver}\xff${e.groupKey}`, e);
    }
  }

  /** The last entry for a group and receiver integration. */
  query(groupKey: string, receiver: string): NflogEntry | undefined {
    const e = this.byKey.get(`${receiver}\xff${groupKey}`);
    return e && e.expiresAt > this.opts.now() ? e : undefined;
  }

  /** Records a notification. */
  log(groupKey: string, receiver: string, firing: string[], resolved: string[]): void {
    const now = this.opts.now();
    this.byKey.set(`${receiver}\xff${groupKey}`, {
      groupKey, receiver, firing: [...firing].sort(), resolved: [...resolved].sort(), timestamp: now,
      expiresAt: now + (this.opts.retentionMs ?? DEFAULT_NFLOG_RETENTION_MS),
    });
    this.save();
  }

  /** Entries not expired, with timestamp > `sinceMs` (all with 0), for peers. */
  entries(sinceMs = 0): NflogEntry[] {
    const now = this.opts.now();
    return [...this.byKey.values()].filter((e) => e.expiresAt > now && e.timestamp > sinceMs);
  }

  /**
   * Merges entries from a peer: an entry replaces ours when it is newer (timestamp); expired or malformed
   * ones are skipped. Saves once when anything changed. Returns how many entries changed.
   */
  merge(entries: readonly NflogEntry[]): number {
    const now = this.opts.now();
    let n = 0;
    for (const e of entries) {
      if (!isEntry(e) || e.expiresAt <= now) continue;
      const k = `${e.receiver}\xff${e.groupKey}`;
      const prev = this.byKey.get(k);
      if (prev && prev.timestamp >= e.timestamp) continue;
      this.byKey.set(k, { groupKey: e.groupKey, receiver: e.receiver, firing: [...e.firing].sort(), resolved: [...e.resolved].sort(), timestamp: e.timestamp, expiresAt: e.expiresAt });
      n++;
    }
    if (n) this.save();
    return n;
  }

  /** Drops expired entries. */
  gc(): number {
    const now = this.opts.now();
    let n = 0;
    for (const [k, e] of this.byKey) if (e.expiresAt <= now) {
      this.byKey.delete(k);
      n++;
    }
    if (n) this.save();
    return n;
  }

  /** Number of entries. */
  get size(): number {
    return this.byKey.size;
  }

  private save(): void {
    if (this.opts.file) writeSnapshot(this.opts.file, { entries: [...this.byKey.values()] });
  }
}

function isEntry(e: unknown): e is NflogEntry {
  const x = e as NflogEntry;
  return typeof x === "object" && x !== null && typeof x.groupKey === "string" && typeof x.receiver === "string"
    && Array.isArray(x.firing) && x.firing.every((f) => typeof f === "string") && Array.isArray(x.resolved) && x.resolved.every((f) => typeof f === "string")
    && Number.isFinite(x.timestamp) && Number.isFinite(x.expiresAt);
}
