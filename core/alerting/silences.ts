/**
 * @module core/alerting/silences
 * Silences: matchers with a time window, creator and comment. A silence is pending before startsAt,
 * active in [startsAt, endsAt), expired after. Updating an active silence's matchers or start creates a
 * new silence and expires the old (as Alertmanager does); expiring sets endsAt to now. Expired silences
 * are kept for the retention period (default 120h) and then dropped. The set is persisted to a snapshot
 * file after every change, so a restart keeps them. HA peers exchange silences (core/alerting/cluster.ts):
 * {@link Silences.merge} keeps the version with the later updatedAt, so merging is idempotent.
 */
import { randomUUID } from "node:crypto";
import type { Matcher } from "../model/matcher.ts";
import { newMatcher } from "../model/matcher.ts";
import { Labels } from "../model/labels.ts";
import { BadDataError, NotFoundError } from "../util/errors.ts";
import { readSnapshot, writeSnapshot } from "./persist.ts";

/** A silence matcher as the API v2 shows it. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** A stored silence. Times in ms. */
export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  createdBy: string;
  comment: string;
}

/** Silence states. */
export type SilenceState = "expired" | "active" | "pending";

/** Default retention of expired silences (--data.retention), ms. */
export const DEFAULT_SILENCE_RETENTION_MS = 120 * 3_600_000;

/** Compiles a silence's matchers. */
export function silenceMatchers(s: Silence): Matcher[] {
  return s.matchers.map((m) => newMatcher(m.isRegex ? (m.isEqual ? "=~" : "!~") : (m.isEqual ? "=" : "!="), m.name, m.value));
}

/** The silence store. */
export class Silences {
  private readonly byId = new Map<string, Silence>();
  private compiled = new Map<string, Matcher[]>();
  /** Bumped on every change, so callers can cache silencing results. */
  version = 0;

  constructor(private readonly opts: { now: () => number; file?: string; retentionMs?: number }) {
    if (opts.file) {
      const snap = readSnapshot<{ silences: Silence[] }>(opts.file);
      for (const s of snap?.silences ?? []) this.byId.set(s.id, s);
    }
  }

  /** The state of a silence at now. */
  state(s: Silence): SilenceState {
    const now = this.opts.now();
    if (s.endsAt <= now) return "expired";
    if (s.startsAt > now) return "pending";
    return "active";
  }

  /** Validates and stores a silence (new when `id` is empty or unknown). Returns its id. */
  set(input: Omit<Silence, "id" | "updatedAt"> & { id?: string }): string {
    const now = this.opts.now();
    if (input.matchers.length === 0) throw new BadDataError("at least one matcher required");
    for (const m of input.matchers) {
      if (!m.name) throw new BadDataError("invalid label matcher: empty label name");
      try {
        silenceMatchers({ ...input, id: "", updatedAt: 0 } as Silence);
      } catch (e) {
        throw new BadDataError(`invalid label matcher: ${(e as Error).message}`);
      }
    }
    if (input.matchers.every((m) => newMatcher(m.isRegex ? (m.isEqual ? "=~" : "!~") : (m.isEqual ? "=" : "!="), m.name, m.value).matches(""))) {
      throw new BadDataError("silence invalid: at least one matcher must not match the empty string");
    }
    if (!(input.endsAt > input.startsAt)) throw new BadDataError("start time must be before end time");
    if (input.endsAt < now) throw new BadDataError("end time can't be in the past");
    if (!input.createdBy) throw new BadDataError("missing createdBy");
    if (!input.comment) throw new BadDataError("missing comment");
    const prev = input.id ? this.byId.get(input.id) : undefined;
    if (input.id && !prev) throw new NotFoundError(`silence ${input.id} not found`);
    let id = input.id ?? "";
    if (prev && this.state(prev) !== "expired" && this.canUpdateInPlace(prev, input)) {
      this.byId.set(id, { ...prev, ...input, id, updatedAt: now });
    } else {
      if (prev && this.state(prev) === "active") this.byId.set(prev.id, { ...prev, endsAt: now, updatedAt: now });
      id = randomUUID();
      const startsAt = input.startsAt < now ? now : input.startsAt;
      this.byId.set(id, { ...input, id, startsAt, updatedAt: now });
    }
    this.changed();
    return id;
  }

  private canUpdateInPlace(prev: Silence, next: Omit<Silence, "id" | "updatedAt">): boolean {
    if (JSON.stringify(prev.matchers) !== JSON.stringify(next.matchers)) return false;
    if (this.state(prev) === "pending") return true;
    return prev.startsAt === next.startsAt;
  }

  /** Expires a silence now. Throws NotFoundError, or BadDataError when already expired. */
  expire(id: string): void {
    const s = this.byId.get(id);
    if (!s) throw new NotFoundError(`silence ${id} not found`);
    if (this.state(s) === "expired") throw new BadDataError(`silence ${id} already expired`);
    const now = this.opts.now();
    this.byId.set(id, { ...s, endsAt: now, startsAt: Math.min(s.startsAt, now), updatedAt: now });
    this.changed();
  }

  /** A silence by id. */
  get(id: string): Silence | undefined {
    return this.byId.get(id);
  }

  /** All silences not yet garbage-collected. */
  list(): Silence[] {
    return [...this.byId.values()];
  }

  /** IDs of active silences muting a label set. */
  mutes(labels: Record<string, string>): string[] {
    const ls = Labels.from(labels);
    const out: string[] = [];
    for (const s of this.byId.values()) {
      if (this.state(s) !== "active") continue;
      let ms = this.compiled.get(s.id);
      if (!ms) this.compiled.set(s.id, (ms = silenceMatchers(s)));
      if (ms.every((m) => m.matchesLabels(ls))) out.push(s.id);
    }
    return out;
  }

  /** Silences with updatedAt > `sinceMs` (all with 0), for peers. */
  changedSince(sinceMs = 0): Silence[] {
    return [...this.byId.values()].filter((s) => s.updatedAt > sinceMs);
  }

  /**
   * Merges silences from a peer: one replaces ours when its updatedAt is later; malformed ones or ones
   * past the retention are skipped. Returns how many changed.
   */
  merge(list: readonly Silence[]): number {
    const cutoff = this.opts.now() - (this.opts.retentionMs ?? DEFAULT_SILENCE_RETENTION_MS);
    let n = 0;
    for (const s of list) {
      if (!isSilence(s) || s.endsAt < cutoff) continue;
      const prev = this.byId.get(s.id);
      if (prev && prev.updatedAt >= s.updatedAt) continue;
      try {
        silenceMatchers(s);
      } catch {
        continue;
      }
      this.byId.set(s.id, {
        id: s.id, matchers: s.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual })),
        startsAt: s.startsAt, endsAt: s.endsAt, updatedAt: s.updatedAt, createdBy: s.createdBy, comment: s.comment,
      });
      n++;
    }
    if (n) this.changed();
    return n;
  }

  /** Drops silences expired longer than the retention ago. */
  gc(): number {
    const cutoff = this.opts.now() - (this.opts.retentionMs ?? DEFAULT_SILENCE_RETENTION_MS);
    let n = 0;
    for (const [id, s] of this.byId) if (s.endsAt < cutoff) {
      this.byId.delete(id);
      n++;
    }
    if (n) this.changed();
    return n;
  }

  private changed(): void {
    this.version++;
    this.compiled = new Map();
    if (this.opts.file) writeSnapshot(this.opts.file, { silences: [...this.byId.values()] });
  }
}

function isSilence(s: unknown): s is Silence {
  const x = s as Silence;
  return typeof x === "object" && x !== null && typeof x.id === "string" && x.id !== "" && Array.isArray(x.matchers)
    && x.matchers.every((m) => typeof m?.name === "string" && typeof m.value === "string" && typeof m.isRegex === "boolean" && typeof m.isEqual === "boolean")
    && Number.isFinite(x.startsAt) && Number.isFinite(x.endsAt) && Number.isFinite(x.updatedAt)
    && typeof x.createdBy === "string" && typeof x.comment === "string";
}
