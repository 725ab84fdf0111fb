/**
 * @module bench/e2e/quiver-receiver
 * Quiver's remote-write receiver as a standalone process for the e2e benchmark, used while the full
 * server does not serve POST /api/v1/write yet: core/api/remote/write.ts over core/tsdb's DB (the same
 * code path), plus /-/ready. `bun bench/e2e/quiver-receiver.ts --port=N --data=DIR`; SIGTERM closes
 * the TSDB cleanly.
 */
import { Elysia } from "elysia";
import { remoteWriteApi } from "../../core/api/remote/write.ts";
import { detectRuntime } from "../../core/runtime/index.ts";
import { DB } from "../../core/tsdb/db.ts";

const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
const port = Number(arg("port") ?? 0);
const dir = arg("data");
if (!dir) throw new Error("usage: quiver-receiver.ts --port=N --data=DIR");
const db = await DB.open(dir);
const app = new Elysia().use(remoteWriteApi({ appendable: db, enabled: true })).get("/-/ready", () => "Quiver Server is Ready.\n");
const rt = detectRuntime();
const server = await rt.serve((r) => app.handle(r), { hostname: "127.0.0.1", port });
const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
rt.onSignal("SIGTERM", () => void stop());
rt.onSignal("SIGINT", () => void stop());
