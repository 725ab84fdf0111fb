/**
 * Replays the requests behind the reference captures of Alertmanager 0.25.0 (shared/reference-outputs) and
 * compares Quiver's webhook notifications and API answers with the real program's, byte for byte where
 * the values are deterministic (everything but updatedAt/endsAt computed from the wall clock of the run).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { AlertingManager, alertmanagerApi, parseAlertmanagerConfig } from "../../../core/alerting/index.ts";
import webhook from "../../../plugins/webhook/index.ts";
import { sharedPath } from "../../helpers/shared.ts";
import { FakeClock } from "../rules/fake.ts";
import { startSink, until } from "./sink.ts";

const ref = sharedPath("reference-outputs");
const read = (f: string) => JSON.parse(readFileSync(`${ref}/${f}`, "utf8"));
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe.skipIf(!ref)("Alertmanager 0.25.0 reference captures", () => {
  test("webhook notifications: firing, resolved, and Prometheus's alert", async () => {
    const sink = await startSink();
    closers.push(sink.close);
    const clock = new FakeClock(Date.parse("2026-11-24T16:53:10.097Z"));
    const am = new AlertingManager({ notifiers: new Map([["webhook", webhook]]), externalURL: "http://vm:19093", clock });
    closers.push(() => am.stop());
    await am.applyConfig(parseAlertmanagerConfig(`route: {receiver: webhook, group_by: [alertname], group_wait: 1s, group_interval: 5s, repeat_interval: 1h}\nreceivers: [{name: webhook, webhook_configs: [{send_resolved: true, url: "${sink.url}/hook"}]}]\n`));
    const api = alertmanagerApi(am);
    const post = (body: unknown) => api.handle(new Request("http://localhost/api/v2/alerts", { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }));
    const request = read("alertmanager-0.25.0-post-alerts-request.json");
    expect((await post(request)).status).toBe(200);
    await clock.advance(1000);
    await until(() => sink.received.length === 1);
    await am.idle();
    // The capture's script then resolved the alert at 16:53:11.
    await post([{ ...request[0], endsAt: "2026-11-24T16:53:11.000Z" }]);
    await clock.advance(5000);
    await until(() => sink.received.length === 2);
    // Prometheus 2.42 then posted its always-firing alert.
    clock.t = Date.parse("2026-11-24T16:53:20.800Z");
    await post(read("prometheus-2.42.0-post-to-alertmanager-api-v2-alerts.json").body);
    await clock.advance(1000);
    await until(() => sink.received.length === 3);
    const want = read("alertmanager-0.25.0-webhook-notifications.json") as Array<{ body: unknown; url: string; content_type: string }>;
    for (let i = 0; i < 3; i++) {
      expect(sink.received[i]!.body).toBe(JSON.stringify(want[i]!.body));
      expect(sink.received[i]!.url).toBe(want[i]!.url);
      expect(sink.received[i]!.headers["content-type"]).toBe(want[i]!.content_type);
    }
  });

  test("GET /api/v2/alerts, /alerts/groups, /receivers after the same POST", async () => {
    const clock = new FakeClock(Date.parse("2026-11-24T16:53:10.097Z"));
    const am = new AlertingManager({ notifiers: new Map([["webhook", webhook]]), externalURL: "http://vm:19093", clock });
    closers.push(() => am.stop());
    await am.applyConfig(parseAlertmanagerConfig(`route: {receiver: webhook, group_by: [alertname], group_wait: 1s, group_interval: 5s, repeat_interval: 1h}\nreceivers: [{name: webhook, webhook_configs: [{send_resolved: true, url: "http://127.0.0.1:9/hook"}]}]\n`));
    const api = alertmanagerApi(am);
    await api.handle(new Request("http://localhost/api/v2/alerts", { method: "POST", body: readFileSync(`${ref}/alertmanager-0.25.0-post-alerts-request.json`, "utf8") }));
    const get = async (p: string) => (await api.handle(new Request(`http://localhost/api/v2${p}`))).text();
    expect(await get("/alerts")).toBe(JSON.stringify(read("alertmanager-0.25.0-get-alerts.json")));
    expect(await get("/alerts/groups")).toBe(JSON.stringify(read("alertmanager-0.25.0-get-alerts-groups.json")));
    expect(await get("/receivers")).toBe(JSON.stringify(read("alertmanager-0.25.0-get-receivers.json")));
  });

  test("silences: POST, GET /silences and alerts while silenced", async () => {
    const clock = new FakeClock(Date.parse("2026-11-24T16:53:10.097Z"));
    const am = new AlertingManager({ notifiers: new Map([["webhook", webhook]]), externalURL: "http://vm:19093", clock });
    closers.push(() => am.stop());
    await am.applyConfig(parseAlertmanagerConfig(`route: {receiver: webhook, group_by: [alertname], group_wait: 1s, group_interval: 5s, repeat_interval: 1h}\nreceivers: [{name: webhook, webhook_configs: [{send_resolved: true, url: "http://127.0.0.1:9/hook"}]}]\n`));
    const api = alertmanagerApi(am);
    await api.handle(new Request("http://localhost/api/v2/alerts", { method: "POST", body: readFileSync(`${ref}/alertmanager-0.25.0-post-alerts-request.json`, "utf8") }));
    clock.t = Date.parse("2026-11-24T16:53:11.167Z");
    const want = read("alertmanager-0.25.0-get-silences.json")[0];
    const res = await api.handle(new Request("http://localhost/api/v2/silences", {
      method: "POST",
      body: JSON.stringify({ matchers: want.matchers, startsAt: "2026-11-24T16:53:11.000Z", endsAt: want.endsAt, createdBy: want.createdBy, comment: want.comment }),
    }));
    const { silenceID } = (await res.json()) as { silenceID: string };
    expect(Object.keys(read("alertmanager-0.25.0-post-silences-response.json"))).toEqual(["silenceID"]);
    const get = async (p: string) => (await api.handle(new Request(`http://localhost/api/v2${p}`))).text();
    const swap = (x: unknown) => JSON.stringify(x).replaceAll(want.id, silenceID);
    expect(await get("/silences")).toBe(swap(read("alertmanager-0.25.0-get-silences.json")));
    expect(await get("/alerts")).toBe(swap(read("alertmanager-0.25.0-get-alerts-while-silenced.json")));
  });
});
