/**
 * A minimal in-process Quiver for remote-storage tests, wired the way the composition root is meant to
 * wire core/remote (see docs/scale-out.md and the report): config with remote_write / remote_read
 * section parsers, a TSDB, the scrape manager, RemoteStorage over the TSDB's WAL, and the HTTP areas
 * (remote write receiver, remote read, push API, /federate) served on a free loopback port.
 */
import { join } from "node:path";
import { Elysia } from "elysia";
import { federateApi } from "../../../core/api/federate.ts";
import { pushgatewayApi } from "../../../core/api/remote/pushgateway.ts";
import { remoteReadApi } from "../../../core/api/remote/read.ts";
import { remoteWriteApi } from "../../../core/api/remote/write.ts";
import { parseConfig } from "../../../core/config/load.ts";
import { nopLogger } from "../../../core/log/logger.ts";
import { Labels } from "../../../core/model/labels.ts";
import { PushStore } from "../../../core/push/store.ts";
import { parseRemoteReadConfigs, parseRemoteWriteConfigs } from "../../../core/remote/config.ts";
import { metadataFromTargets } from "../../../core/remote/metadata.ts";
import { RemoteStorage } from "../../../core/remote/storage.ts";
import { detectRuntime, type Server } from "../../../core/runtime/index.ts";
import { parseScrapeConfigs } from "../../../core/scrape/config.ts";
import { ScrapeManager } from "../../../core/scrape/manager.ts";
import { DB } from "../../../core/tsdb/db.ts";

/** A running mini server. */
export interface MiniQuiver {
  url: string;
  port: number;
  db: DB;
  remote: RemoteStorage;
  scrape: ScrapeManager;
  push: PushStore;
  stop(): Promise<void>;
}

/** Starts a mini Quiver from prometheus.yml text, with its data under `dir`. */
export async function startMiniQuiver(yaml: string, dir: string): Promise<MiniQuiver> {
  const cfg = parseConfig(yaml, {
    dir,
    parsers: {
      scrape_configs: (raw, ctx) => parseScrapeConfigs(raw, ctx.global, ctx.path),
      remote_write: parseRemoteWriteConfigs,
      remote_read: parseRemoteReadConfigs,
    },
  });
  const dataDir = join(dir, "data");
  const externalLabels = () => Labels.from(cfg.global.externalLabels);
  const db = await DB.open(dataDir);
  const scrape = new ScrapeManager({ appendable: db, logger: nopLogger, configDir: dir, discoveryUpdateIntervalMs: 100 });
  const remote = new RemoteStorage({ dataDir, logger: nopLogger, externalLabels, local: db, metadata: metadataFromTargets(scrape) });
  await remote.applyConfig(cfg.sections.remote_write, cfg.sections.remote_read);
  const push = new PushStore({ file: join(dataDir, "pushgateway.json"), logger: nopLogger });
  const app = new Elysia()
    .use(remoteWriteApi({ appendable: db, enabled: true }))
    .use(remoteReadApi({ queryable: db, externalLabels }))
    .use(pushgatewayApi({ store: push }))
    .use(federateApi({ queryable: remote.queryable(), externalLabels, lookbackDelta: 300_000 }));
  const server: Server = await detectRuntime().serve((r) => app.handle(r), { hostname: "127.0.0.1", port: 0 });
  await scrape.applyConfig(cfg.sections.scrape_configs);
  return {
    url: `http://127.0.0.1:${server.port}`, port: server.port, db, remote, scrape, push,
    stop: async () => {
      await scrape.stop();
      await server.stop();
      await remote.stop();
      await db.close();
    },
  };
}
