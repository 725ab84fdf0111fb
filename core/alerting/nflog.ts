/**
 * @module core/alerting/nflog
 * The notification log: for each (group key, receiver integration) the fingerprints of the firing and
 * resolved alerts last notified and when. The dedup stage compares against it; entries expire after
 * the retention. Persisted as a snapshot after each change, so a restart does not re-send.
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
  private readonly entries = new Map<string, NflogEntry>();

  constructor(private readonly opts: { now: () => number; file?: string; retentionMs?: number }) {
    if (opts.file) {
      const snap = readSnapshot<{ entries: NflogEntry[] }>(opts.file);
      for (const e of snap?.entries ?? []) this.entries.set(`${e.receiver}\xff${e.groupKey}`, e);
    }
  }

  /** The last entry for a group and receiver integration. */
  query(groupKey: string, receiver: string): NflogEntry | undefined {
    const e = this.entries.get(`${receiver}\xff${groupKey}`);
    return e && e.expiresAt > this.opts.now() ? e : undefined;
  }

  /** Records a notification. */
  log(groupKey: string, receiver: string, firing: string[], resolved: string[]): void {
    const now = this.opts.now();
    this.entries.set(`${receiver}\xff${groupKey}`, {
      groupKey, receiver, firing: [...firing].sort(), resolved: [...resolved].sort(), timestamp: now,
      expiresAt: now + (this.opts.retentionMs ?? DEFAULT_NFLOG_RETENTION_MS),
    });
    this.save();
  }

  /** Drops expired entries. */
  gc(): number {
    const now = this.opts.now();
    let n = 0;
    for (const [k, e] of this.entries) if (e.expiresAt <= now) {
      this.entries.delete(k);
      n++;
    }
    if (n) this.save();
    return n;
  }

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  private save(): void {
    if (this.opts.file) writeSnapshot(this.opts.file, { entries: [...this.entries.values()] });
  }
}
