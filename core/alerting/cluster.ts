/**
 * @module core/alerting/cluster
 * HA for the built-in Alertmanager over plain HTTP, with Alertmanager's clustering semantics: peers
 * (--cluster.peer) exchange their notification log and silences (each serves them at
 * {@link CLUSTER_STATE_PATH}; each polls the others every {@link DEFAULT_POLL_INTERVAL_MS}), merged
 * newest-wins, so a silence made on one peer applies on all. Before sending a group, a peer waits
 * `position × peer_timeout` (position = index of its --cluster.advertise-address among all peer names,
 * sorted), fetches the peers' state again, and the dedup stage then skips the send when a peer already
 * notified the same firing/resolved set.
 *
 * Invariants: a peer that is down or slow (each fetch is cut at peer_timeout) is logged and skipped, it
 * never blocks sending; merging is idempotent; waiting uses the injected clock. No peers: no waiting and
 * no fetching (a single Alertmanager).
 */
import { Counter, Gauge, type Registry } from "../../exporters/service/index.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../rules/types.ts";
import { ConfigError, errorMessage } from "../util/errors.ts";
import type { NflogEntry, NotificationLog } from "./nflog.ts";
import type { Silence, Silences } from "./silences.ts";

/** Path (under the server root) serving this instance's state to its peers. */
export const CLUSTER_STATE_PATH = "/api/v2/quiver/cluster/state";
/** Default --cluster.peer-timeout (Alertmanager's), ms. */
export const DEFAULT_PEER_TIMEOUT_MS = 15_000;
/** How often state is pulled from every peer, ms. */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;
/** Every this many polls a peer is asked for its full state rather than changes (catches third-party entries). */
const FULL_SYNC_EVERY = 12;

/** An nflog entry on the wire. Times in ms; alerts by fingerprint. */
export interface WireNflogEntry {
  receiver: string;
  groupKey: string;
  firingAlerts: string[];
  resolvedAlerts: string[];
  timestamp: number;
  expiresAt: number;
}

/** What {@link CLUSTER_STATE_PATH} answers. `now` is the serving peer's clock, ms. */
export interface ClusterState {
  name: string;
  now: number;
  nflog: WireNflogEntry[];
  silences: Silence[];
}

/** Fetches a peer's state changed after `sinceMs` (0: everything). Rejects when the peer is unreachable. */
export type FetchPeer = (peer: string, sinceMs: number, signal: AbortSignal) => Promise<ClusterState>;

/** Options of {@link Cluster}. */
export interface ClusterOptions {
  /** How peers name this instance (--cluster.advertise-address). */
  advertiseAddress: string;
  /** The other instances (--cluster.peer); this instance's own name is ignored when listed. */
  peers: readonly string[];
  /** --cluster.peer-timeout, ms. */
  peerTimeoutMs?: number;
  pollIntervalMs?: number;
  /** Transport; default {@link httpFetchPeer}. Tests pass an in-memory one. */
  fetchPeer?: FetchPeer;
}

/**
 * Normalises a peer name: `host:port` becomes `http://host:port`; a trailing slash is dropped. Throws
 * ConfigError for something that is not a URL.
 */
export function normalizePeer(p: string): string {
  const s = /^[a-z][a-z0-9+.-]*:\/\//i.test(p) ? p : `http://${p}`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new ConfigError(`invalid cluster peer address ${JSON.stringify(p)}: expected host:port or a URL`);
  }
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
}

/** The default transport: GET `<peer>/api/v2/quiver/cluster/state?since=<ms>`. */
export const httpFetchPeer: FetchPeer = async (peer, sinceMs, signal) => {
  const res = await fetch(`${peer}${CLUSTER_STATE_PATH}?since=${sinceMs}`, { signal });
  if (!res.ok) throw new Error(`server returned HTTP status ${res.status}`);
  return (await res.json()) as ClusterState;
};

/** Converts log entries to their wire form and back. */
export function toWire(e: NflogEntry): WireNflogEntry {
  return { receiver: e.receiver, groupKey: e.groupKey, firingAlerts: e.firing, resolvedAlerts: e.resolved, timestamp: e.timestamp, expiresAt: e.expiresAt };
}

function fromWire(e: WireNflogEntry): NflogEntry {
  return { receiver: e?.receiver, groupKey: e?.groupKey, firing: e?.firingAlerts, resolved: e?.resolvedAlerts, timestamp: e?.timestamp, expiresAt: e?.expiresAt };
}

interface PeerStatus {
  name: string;
  since: number;
  polls: number;
  ok: boolean | null;
  lastError: string;
}

/** The cluster membership and state exchange of one Alertmanager. */
export class Cluster {
  /** This instance's normalised name. */
  readonly name: string;
  readonly peerTimeoutMs: number;
  private readonly peers: PeerStatus[];
  private readonly fetchPeer: FetchPeer;
  private readonly pollIntervalMs: number;
  private cancelPoll: (() => void) | null = null;
  private readonly received: Counter<"msg_type">;
  private readonly failed: Counter<"peer">;

  constructor(
    opts: ClusterOptions,
    private readonly deps: { clock: Clock; logger: Logger; nflog: NotificationLog; silences: Silences; registry?: Registry },
  ) {
    this.name = normalizePeer(opts.advertiseAddress);
    const names = [...new Set(opts.peers.map(normalizePeer))].filter((p) => p !== this.name);
    this.peers = names.map((name) => ({ name, since: 0, polls: 0, ok: null, lastError: "" }));
    this.peerTimeoutMs = opts.peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS;
    this.pollIntervalMs = opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.fetchPeer = opts.fetchPeer ?? httpFetchPeer;
    const registers = deps.registry ? [deps.registry] : [];
    const self = this;
    new Gauge({ name: "alertmanager_cluster_enabled", help: "Indicates whether the clustering is enabled or not.", registers }).set(this.enabled ? 1 : 0);
    new Gauge({ name: "alertmanager_cluster_members", help: "Number indicating current number of members in cluster.", registers }).set(this.peers.length + 1);
    new Gauge({ name: "alertmanager_peer_position", help: "Position the Alertmanager instance believes it's in. The position determines a peer's behavior in the cluster.", registers }).set(this.position);
    new Gauge({
      name: "alertmanager_cluster_failed_peers", help: "Number indicating the current number of failed peers in the cluster.", registers,
      collect(this: Gauge) {
        this.set(self.peers.filter((p) => p.ok === false).length);
      },
    });
    new Gauge({
      name: "alertmanager_cluster_health_score", help: "Health score of the cluster. Lower values are better and zero means 'totally healthy'.", registers,
      collect(this: Gauge) {
        this.set(self.peers.filter((p) => p.ok === false).length);
      },
    });
    this.received = new Counter({ name: "alertmanager_cluster_messages_received_total", help: "Total number of cluster messages received.", labelNames: ["msg_type"], registers });
    this.failed = new Counter({ name: "quiver_alertmanager_cluster_peer_fetch_failures_total", help: "Total number of failed state fetches from a cluster peer.", labelNames: ["peer"], registers });
    for (const t of ["full_state", "update"]) this.received.inc({ msg_type: t }, 0);
    for (const p of this.peers) this.failed.inc({ peer: p.name }, 0);
  }

  /** Whether there are other peers. */
  get enabled(): boolean {
    return this.peers.length > 0;
  }

  /** Index of this instance among all peer names sorted (0 sends first). */
  get position(): number {
    return [this.name, ...this.peers.map((p) => p.name)].sort().indexOf(this.name);
  }

  /** The peers' names and whether their last fetch succeeded (null: not tried yet). */
  peerStatus(): Array<{ name: string; ok: boolean | null; lastError: string }> {
    return this.peers.map(({ name, ok, lastError }) => ({ name, ok, lastError }));
  }

  /** This instance's state changed after `sinceMs` (0: everything), as served to peers. */
  state(sinceMs = 0): ClusterState {
    return {
      name: this.name, now: this.deps.clock.now(),
      nflog: this.deps.nflog.entries(sinceMs).map(toWire),
      silences: this.deps.silences.changedSince(sinceMs),
    };
  }

  /** Starts polling the peers. */
  start(): void {
    if (!this.enabled || this.cancelPoll) return;
    const tick = () => {
      this.cancelPoll = this.deps.clock.setTimer(() => {
        void this.refresh(false).finally(() => {
          if (this.cancelPoll) tick();
        });
      }, this.pollIntervalMs);
    };
    tick();
  }

  /** Stops polling. */
  stop(): void {
    this.cancelPoll?.();
    this.cancelPoll = null;
  }

  /**
   * Pulls every peer's state (full when `full`, else changes since the last pull) and merges it.
   * Never rejects: failing peers are logged and counted.
   */
  async refresh(full = true): Promise<void> {
    await Promise.all(this.peers.map((p) => this.pull(p, full)));
  }

  private async pull(p: PeerStatus, full: boolean): Promise<void> {
    const since = full || p.polls % FULL_SYNC_EVERY === 0 ? 0 : p.since;
    const ctrl = new AbortController();
    const cancel = this.deps.clock.setTimer(() => ctrl.abort(new Error(`timeout after ${this.peerTimeoutMs}ms`)), this.peerTimeoutMs);
    try {
      const st = await Promise.race([
        this.fetchPeer(p.name, since, ctrl.signal),
        new Promise<never>((_, rej) => ctrl.signal.addEventListener("abort", () => rej(ctrl.signal.reason), { once: true })),
      ]);
      if (typeof st !== "object" || st === null || !Array.isArray(st.nflog) || !Array.isArray(st.silences)) throw new Error("malformed state");
      this.deps.nflog.merge(st.nflog.map(fromWire));
      this.deps.silences.merge(st.silences);
      this.received.inc({ msg_type: since === 0 ? "full_state" : "update" });
      if (!full) p.polls++;
      // Ask for changes from a little before the peer's clock reading, so nothing stamped meanwhile is missed.
      if (Number.isFinite(st.now)) p.since = Math.max(0, st.now - this.pollIntervalMs);
      if (p.ok === false) this.deps.logger.info("Cluster peer reachable again", { peer: p.name });
      p.ok = true;
      p.lastError = "";
    } catch (e) {
      this.failed.inc({ peer: p.name });
      const err = errorMessage(e);
      if (p.ok !== false || p.lastError !== err) this.deps.logger.warn("Cannot fetch state from cluster peer; skipping it", { peer: p.name, err });
      p.ok = false;
      p.lastError = err;
    } finally {
      cancel();
    }
  }

  /**
   * Alertmanager's wait stage plus a fresh pull: waits `position × peer_timeout` (injected clock), then
   * merges the peers' current state, so the dedup stage sees what they sent. No-op without peers.
   */
  async settle(): Promise<void> {
    if (!this.enabled) return;
    const wait = this.position * this.peerTimeoutMs;
    if (wait > 0) await new Promise<void>((r) => this.deps.clock.setTimer(r, wait));
    await this.refresh(true);
  }
}
