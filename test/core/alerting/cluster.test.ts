/**
 * HA pairs of built-in Alertmanagers (core/alerting/cluster.ts): two AlertingManager instances on one fake
 * clock, connected through an in-memory transport, with an in-memory notifier recording deliveries.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AlertingManager, alertmanagerApi, normalizePeer, parseAlertmanagerConfig, type ClusterState, type FetchPeer } from "../../../core/alerting/index.ts";
import { definePlugin, type NotificationMessage } from "../../../core/plugin/types.ts";
import { Registry } from "../../../exporters/service/index.ts";
import { FakeClock } from "../rules/fake.ts";

const T0 = Date.UTC(2026, 10, 24, 16, 53, 10);
const A = "http://quiver-a:9090", B = "http://quiver-b:9090";
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A notifier recording what each instance delivered (registered as `webhook` so the config parses). */
function recorder(sent: Array<{ by: string; msg: NotificationMessage }>, by: string) {
  return definePlugin<"notifier", Record<string, unknown>>({
    name: "webhook", kind: "notifier", version: "0.0.0", description: "test recorder",
    create: () => ({
      async notify(msg: NotificationMessage) {
        sent.push({ by, msg });
        return { retry: false };
      },
    }),
  });
}

const CONFIG = `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: team
    webhook_configs:
      - url: http://sink.invalid/hook
        send_resolved: true
`;

/** Two peers; `down` names peers whose fetch fails, `hang` peers that never answer. */
async function pair(opts: { down?: Set<string>; hang?: Set<string>; dataDir?: string } = {}) {
  const clock = new FakeClock(T0);
  const sent: Array<{ by: string; msg: NotificationMessage }> = [];
  const byName = new Map<string, AlertingManager>();
  const fetches: Array<{ from: string; peer: string; since: number }> = [];
  const transport = (from: string): FetchPeer => async (peer, since) => {
    fetches.push({ from, peer, since });
    if (opts.hang?.has(peer)) return new Promise<ClusterState>(() => {});
    if (opts.down?.has(peer)) throw new Error(`dial tcp ${peer}: connect: connection refused`);
    // A JSON round trip, as over HTTP.
    return JSON.parse(JSON.stringify(byName.get(peer)!.cluster!.state(since)));
  };
  const make = async (name: string, peer: string) => {
    const registry = new Registry();
    const am = new AlertingManager({
      notifiers: new Map([["webhook", recorder(sent, name)]]), externalURL: name, clock, registry,
      dataDir: opts.dataDir ? join(opts.dataDir, name.replace(/\W/g, "_")) : undefined,
      cluster: { advertiseAddress: name, peers: [peer, name], peerTimeoutMs: 15_000, fetchPeer: transport(name) },
    });
    closers.push(() => am.stop());
    await am.applyConfig(parseAlertmanagerConfig(CONFIG, { integrations: ["webhook"] }));
    byName.set(name, am);
    return { am, registry };
  };
  const a = await make(A, B);
  const b = await make(B, A);
  // Flushes may be parked on a clock timer (the wait stage), so only let pending work run, never idle().
  const step = async (ms: number) => {
    await clock.advance(ms);
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  };
  return { clock, sent, a, b, step, fetches };
}

const firing = (instance: string, extra: Record<string, unknown> = {}) => ({
  labels: { alertname: "HostDown", instance, job: "node" }, annotations: { summary: "down" },
  startsAt: T0, endsAt: T0 + 24 * 3_600_000, ...extra,
});

describe("cluster membership", () => {
  test("peer names are normalised; position is the index among all names sorted; self in --cluster.peer is ignored", async () => {
    expect(normalizePeer("127.0.0.1:9090")).toBe("http://127.0.0.1:9090");
    expect(normalizePeer("https://q.example:443/prom/")).toBe("https://q.example/prom");
    expect(() => normalizePeer("http://[bad")).toThrow(/invalid cluster peer address/);
    const { a, b } = await pair();
    expect(a.am.cluster!.position).toBe(0);
    expect(b.am.cluster!.position).toBe(1);
    expect(a.am.cluster!.peerStatus().map((p) => p.name)).toEqual([B]);
    const text = await b.registry.metrics();
    expect(text).toContain("alertmanager_cluster_members 2");
    expect(text).toContain("alertmanager_peer_position 1");
    expect(text).toContain("alertmanager_cluster_enabled 1");
  });
});

describe("HA pair", () => {
  test("both receive the same alert: exactly one delivery; resolution also goes out once", async () => {
    const { a, b, sent, step } = await pair();
    a.am.receive([firing("h1")]);
    b.am.receive([firing("h1")]);
    await step(30_000);
    // Position 0 (A) sends at group_wait; B waits 1 × peer_timeout, pulls A's log and skips.
    expect(sent.map((s) => s.by)).toEqual([A]);
    await step(15_000);
    expect(sent.map((s) => s.by)).toEqual([A]);
    expect(b.am.nflog.size).toBe(1);
    // Later group intervals send nothing new anywhere.
    await step(300_000);
    expect(sent.length).toBe(1);
    // Resolved on both: one resolved notification.
    a.am.receive([firing("h1", { endsAt: T0 + 340_000 })]);
    b.am.receive([firing("h1", { endsAt: T0 + 340_000 })]);
    await step(300_000);
    await step(15_000);
    expect(sent.length).toBe(2);
    expect(sent[1]!.msg.status).toBe("resolved");
    const text = await b.registry.metrics();
    expect(text).toMatch(/alertmanager_cluster_messages_received_total\{msg_type="full_state"\} [1-9]/);
  });

  test("when position 0 did not get the alert, position 1 sends after its wait", async () => {
    const { b, sent, step } = await pair();
    b.am.receive([firing("h2")]);
    await step(30_000);
    expect(sent.length).toBe(0);
    await step(15_000);
    expect(sent.map((s) => s.by)).toEqual([B]);
  });

  test("a silence created on one peer suppresses the alert on the other", async () => {
    const { a, b, sent, step } = await pair();
    const id = a.am.silences.set({ matchers: [{ name: "alertname", value: "HostDown", isRegex: false, isEqual: true }], startsAt: T0, endsAt: T0 + 3_600_000, createdBy: "ops", comment: "maintenance" });
    await step(5_000); // one poll
    expect(b.am.silences.get(id)?.comment).toBe("maintenance");
    a.am.receive([firing("h3", { startsAt: T0 + 5_000 })]);
    b.am.receive([firing("h3", { startsAt: T0 + 5_000 })]);
    await step(60_000);
    expect(sent.length).toBe(0);
    // Expiring it on B propagates back to A (newer updatedAt wins) and the alert goes out once.
    b.am.silences.expire(id);
    await step(5_000);
    expect(a.am.silences.state(a.am.silences.get(id)!)).toBe("expired");
    await step(300_000);
    await step(15_000);
    expect(sent.map((s) => s.by)).toEqual([A]);
  });

  test("a down peer is skipped: the other still delivers", async () => {
    const { a, b, sent, step, fetches } = await pair({ down: new Set([A]) });
    void a;
    b.am.receive([firing("h4")]);
    await step(45_000);
    expect(sent.map((s) => s.by)).toEqual([B]);
    expect(fetches.some((f) => f.from === B && f.peer === A)).toBe(true);
    expect(b.am.cluster!.peerStatus()[0]!.ok).toBe(false);
    expect(await b.registry.metrics()).toContain("alertmanager_cluster_failed_peers 1");
  });

  test("a peer that never answers is cut at peer_timeout and does not block delivery", async () => {
    const { a, sent, step } = await pair({ hang: new Set([B]) });
    a.am.receive([firing("h5")]);
    await step(30_000);
    expect(sent.length).toBe(0); // still waiting for B's state
    await step(15_000);
    expect(sent.map((s) => s.by)).toEqual([A]);
  });
});

describe("state exchange", () => {
  test("merging is idempotent and newest-wins; merged state persists", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiver-cluster-"));
    const { a, b, step } = await pair({ dataDir: dir });
    a.am.nflog.log("g", "team/webhook/0", ["f1"], []);
    await step(5_000);
    expect(b.am.nflog.query("g", "team/webhook/0")?.firing).toEqual(["f1"]);
    // Same state again: nothing changes.
    expect(b.am.nflog.merge(a.am.nflog.entries())).toBe(0);
    // An older entry never replaces a newer one.
    const cur = b.am.nflog.query("g", "team/webhook/0")!;
    expect(b.am.nflog.merge([{ ...cur, firing: ["old"], timestamp: cur.timestamp - 1 }])).toBe(0);
    expect(b.am.nflog.merge([{ ...cur, firing: ["new"], timestamp: cur.timestamp + 1 }])).toBe(1);
    expect(b.am.nflog.query("g", "team/webhook/0")?.firing).toEqual(["new"]);
    // Malformed peer data is skipped.
    expect(b.am.nflog.merge([{ groupKey: 1 } as never])).toBe(0);
    expect(b.am.silences.merge([{ id: "x", matchers: "nope" } as never])).toBe(0);
    // Restart B from its data dir: the merged entry is there.
    const again = new AlertingManager({ notifiers: new Map(), externalURL: B, dataDir: join(dir, B.replace(/\W/g, "_")), clock: a.am.clock });
    expect(again.nflog.query("g", "team/webhook/0")?.firing).toEqual(["new"]);
  });

  test("GET /api/v2/quiver/cluster/state serves the nflog and silences; /api/v2/status shows the peers", async () => {
    const { a, step } = await pair();
    a.am.nflog.log("g", "team/webhook/0", ["f1"], ["f2"]);
    await step(1);
    const id = a.am.silences.set({ matchers: [{ name: "job", value: "node", isRegex: false, isEqual: true }], startsAt: T0, endsAt: T0 + 60_000, createdBy: "ops", comment: "c" });
    const api = alertmanagerApi(a.am);
    const get = async (path: string) => {
      const r = await api.handle(new Request(`http://localhost${path}`));
      return { status: r.status, body: await r.json() };
    };
    const all = await get("/api/v2/quiver/cluster/state?since=0");
    expect(all.status).toBe(200);
    expect(all.body.name).toBe(A);
    expect(all.body.nflog).toEqual([{ receiver: "team/webhook/0", groupKey: "g", firingAlerts: ["f1"], resolvedAlerts: ["f2"], timestamp: T0, expiresAt: T0 + 120 * 3_600_000 }]);
    expect(all.body.silences.map((s: { id: string }) => s.id)).toEqual([id]);
    const later = await get(`/api/v2/quiver/cluster/state?since=${T0}`);
    expect(later.body.nflog).toEqual([]);
    expect(later.body.silences.length).toBe(1);
    expect((await get("/api/v2/quiver/cluster/state?since=abc")).status).toBe(400);
    const status = await get("/api/v2/status");
    expect(status.body.cluster.name).toBe(A);
    expect(status.body.cluster.peers.map((p: { name: string }) => p.name)).toEqual([A, B]);
  });

  test("without peers there is no cluster endpoint and no waiting", async () => {
    const sent: Array<{ by: string; msg: NotificationMessage }> = [];
    const clock = new FakeClock(T0);
    const am = new AlertingManager({ notifiers: new Map([["webhook", recorder(sent, "solo")]]), externalURL: "http://solo:9090", clock });
    closers.push(() => am.stop());
    await am.applyConfig(parseAlertmanagerConfig(CONFIG, { integrations: ["webhook"] }));
    am.receive([firing("h6")]);
    await clock.advance(30_000);
    await am.idle();
    expect(sent.length).toBe(1);
    const r = await alertmanagerApi(am).handle(new Request("http://localhost/api/v2/quiver/cluster/state"));
    expect(r.status).toBe(404);
  });
});
