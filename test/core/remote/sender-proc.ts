/**
 * A sender process for the crash test: opens a TSDB, runs one remote_write queue to `--url`, appends
 * rounds [from, to) of 10 series (one commit per round, `--delay` ms apart), printing "committed <k>"
 * after each; then waits until everything was sent, prints "drained" and exits cleanly.
 * `bun test/core/remote/sender-proc.ts --dir=D --url=U --from=0 --to=60 --t0=MS --delay=20`
 */
import { nopLogger } from "../../../core/log/logger.ts";
import { Labels } from "../../../core/model/labels.ts";
import { parseRemoteWriteConfigs } from "../../../core/remote/config.ts";
import { RemoteStorage } from "../../../core/remote/storage.ts";
import { DB } from "../../../core/tsdb/db.ts";

/** The value of series i at round k (shared with the test). */
export function crashValue(i: number, k: number): number {
  return i * 100 + k / 8;
}

if (import.meta.main) {
  const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))!.slice(k.length + 3);
  const dir = arg("dir"), url = arg("url");
  const from = Number(arg("from")), to = Number(arg("to")), t0 = Number(arg("t0")), delay = Number(arg("delay"));
  const db = await DB.open(dir, { backgroundCompaction: false });
  const rs = new RemoteStorage({ dataDir: dir, logger: nopLogger, externalLabels: () => Labels.EMPTY, local: db, flushDeadline: 1000 });
  await rs.applyConfig(parseRemoteWriteConfigs([{ url, name: "crash", queue_config: { batch_send_deadline: "50ms", min_backoff: "20ms", max_backoff: "200ms" } }], { dir, path: "remote_write" }));
  for (let k = from; k < to; k++) {
    const app = db.appender();
    for (let i = 0; i < 10; i++) app.append(0, Labels.from({ __name__: "rw_crash", i: String(i) }), t0 + k * 1000, crashValue(i, k));
    await app.commit();
    console.log(`committed ${k}`);
    await new Promise((r) => setTimeout(r, delay));
  }
  const sentTo = () => rs.metrics().find((f) => f.name === "prometheus_remote_storage_queue_highest_sent_timestamp_seconds")!.samples[0]!.value;
  while (sentTo() < (t0 + (to - 1) * 1000) / 1000 || rs.queues()[0]!.pending > 0) await new Promise((r) => setTimeout(r, 50));
  await rs.stop();
  await db.close();
  console.log("drained");
  process.exit(0);
}
