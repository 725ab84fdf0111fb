/**
 * @module test/e2e/ui/harness
 * A development and fallback harness for the UI: serves `uiRoutes()` and forwards `/api/v1/*` to an
 * upstream server speaking the Prometheus HTTP API (a real Quiver or a real Prometheus). The e2e tests
 * run against the real Quiver process; this harness exists to develop the UI against real response
 * shapes and to run the same browser test against Prometheus itself when asked (QUIVER_UI_UPSTREAM).
 *
 * Run by hand: `bun test/e2e/ui/harness.ts http://127.0.0.1:9090 [port]`.
 */
import { uiRoutes } from "../../../core/ui/index.ts";
import { detectRuntime, type Server } from "../../../core/runtime/index.ts";

/** Starts the harness on 127.0.0.1 (`port` 0 picks a free one). The caller stops it. */
export async function startHarness(upstream: string, port = 0): Promise<Server & { url: string }> {
  const base = upstream.replace(/\/$/, "");
  const forward = async (request: Request): Promise<Response> => {
    const u = new URL(request.url);
    const init: RequestInit = { method: request.method, headers: { "content-type": request.headers.get("content-type") ?? "" } };
    if (request.method === "POST") init.body = await request.arrayBuffer();
    const r = await fetch(base + u.pathname + u.search, init);
    return new Response(await r.arrayBuffer(), { status: r.status, headers: { "content-type": r.headers.get("content-type") ?? "application/json" } });
  };
  const ui = uiRoutes({ pageTitle: "Quiver (UI harness)" });
  const handle = (req: Request) => (new URL(req.url).pathname.startsWith("/api/v1/") ? forward(req) : ui.handle(req));
  const server = await detectRuntime().serve(handle, { hostname: "127.0.0.1", port });
  return Object.assign(server, { url: `http://127.0.0.1:${server.port}` });
}

if (import.meta.main) {
  const upstream = process.argv[2];
  if (!upstream) {
    console.error("usage: bun test/e2e/ui/harness.ts <upstream-url> [port]");
    process.exit(2);
  }
  const s = await startHarness(upstream, Number(process.argv[3] ?? 0));
  console.log(`UI harness on ${s.url}, API from ${upstream}`);
}
