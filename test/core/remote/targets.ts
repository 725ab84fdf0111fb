/**
 * Scrape targets for scale-out tests: small HTTP servers on free loopback ports, each exposing
 * `app_requests_total` (a fixed value per target) and remembering which scrapers (the `from` query
 * parameter a scrape config sets) scraped it.
 */
import { createServer, type Server } from "node:http";

/** A running target. */
export interface Target {
  address: string;
  value: number;
  /** `from` parameters of received scrapes, with counts. */
  scrapers: Map<string, number>;
}

/** Starts `n` targets; target i exposes app_requests_total = 10 * (i + 1). */
export async function startTargets(n: number): Promise<{ targets: Target[]; stop(): Promise<void> }> {
  const servers: Server[] = [];
  const targets: Target[] = [];
  for (let i = 0; i < n; i++) {
    const t: Target = { address: "", value: 10 * (i + 1), scrapers: new Map() };
    const s = createServer((req, res) => {
      const from = new URL(req.url ?? "/", "http://x").searchParams.get("from") ?? "";
      t.scrapers.set(from, (t.scrapers.get(from) ?? 0) + 1);
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(`# TYPE app_requests_total counter\napp_requests_total{path="/"} ${t.value}\n`);
    });
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const a = s.address();
    t.address = `127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
    servers.push(s);
    targets.push(t);
  }
  return {
    targets,
    stop: async () => {
      await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(() => r(undefined)); })));
    },
  };
}
