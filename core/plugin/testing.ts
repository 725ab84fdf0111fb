/**
 * @module core/plugin/testing
 * A small test kit for plugin authors (used by the notifier plugins' own tests): a loopback HTTP sink
 * that records requests, a plugin context, and a representative notification group. Test-only; nothing
 * in the server imports it. Sinks listen on 127.0.0.1 and are closed by {@link closeSinks}.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { nopLogger } from "../log/logger.ts";
import type { NotificationMessage } from "../model/alert.ts";
import type { PluginContext } from "./types.ts";

/** One request a sink received; `body` is parsed JSON. */
export interface SinkRequest {
  url: string;
  // deno-lint-ignore no-explicit-any
  body: any;
  headers: Record<string, unknown>;
}

const open = new Set<Server>();

/** Starts a loopback sink answering `status` with `reply`, recording JSON requests in `got`. */
export async function startSink(status = 200, reply = "ok"): Promise<{ base: string; got: SinkRequest[] }> {
  const got: SinkRequest[] = [];
  const s = createServer((req, res) => {
    let b = "";
    req.on("data", (c) => (b += c));
    req.on("end", () => {
      got.push({ url: req.url ?? "", body: JSON.parse(b), headers: req.headers });
      res.statusCode = status;
      res.end(reply);
    });
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  open.add(s);
  return { base: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, got };
}

/** Closes every sink started so far (call from afterEach). */
export function closeSinks(): void {
  for (const s of open) s.close();
  open.clear();
}

/** A plugin context for tests: the given settings, a silent logger, /tmp as directories. */
export function pluginContext<C = unknown>(config: C): PluginContext<C> {
  return { config, logger: nopLogger, dataDir: "/tmp", configDir: "/tmp" };
}

/** Start time (ms) of the alerts in {@link sampleMessage}. */
export const SAMPLE_T = Date.UTC(2026, 10, 24, 16, 53, 10);

/**
 * A group as core builds it: `firing` holds one firing and one resolved alert, `resolved` only the
 * resolved one. Receiver "team", group `{alertname="HighLoad"}`, external URL http://am:9093.
 */
export function sampleMessage(status: "firing" | "resolved" = "firing"): NotificationMessage {
  const T = SAMPLE_T;
  const resolvedB = { status: "resolved" as const, labels: { alertname: "HighLoad", job: "node", instance: "b" }, startsAt: T, endsAt: T + 60_000, generatorURL: "http://prom/g", fingerprint: "2" };
  return {
    receiver: "team", status, groupLabels: { alertname: "HighLoad" }, commonLabels: { alertname: "HighLoad", job: "node" },
    commonAnnotations: {}, externalURL: "http://am:9093", groupKey: '{}:{alertname="HighLoad"}', truncatedAlerts: 0,
    alerts: status === "firing"
      ? [
        { status: "firing", labels: { alertname: "HighLoad", job: "node", instance: "a" }, annotations: { summary: "load a" }, startsAt: T, endsAt: 0, generatorURL: "http://prom/g", fingerprint: "1" },
        { ...resolvedB, annotations: { summary: "load b" } },
      ]
      : [{ ...resolvedB, annotations: {} }],
  };
}
