/**
 * @module exporters/blackbox/probers/unix
 * The unix prober: connects to a Unix domain socket (the target is its path) and runs the same
 * query_response dialogue as the tcp prober (expect/send/starttls/labels), optionally over TLS.
 */
import { type Socket, connect } from "node:net";
import type { Prober } from "../prober.ts";
import { abortable, tlsOptions } from "../util.ts";
import { runDialogue } from "./tcp.ts";

/** The unix prober. */
export const probeUnix: Prober = async (ctx) => {
  const raw = ctx.module.unix;
  ctx.metrics.set("probe_failed_due_to_regex", "Indicates if probe failed due to regex", 0);
  let sock: Socket;
  ctx.logger.info("Dialing unix socket", { path: ctx.target });
  try {
    sock = await abortable(
      new Promise<Socket>((resolve, reject) => {
        const s = connect({ path: ctx.target });
        s.once("connect", () => resolve(s));
        s.once("error", reject);
        ctx.signal.addEventListener("abort", () => s.destroy(), { once: true });
      }),
      ctx.signal,
    );
  } catch (e) {
    ctx.logger.error("Error dialing unix socket", { err: e });
    return false;
  }
  try {
    return await runDialogue(ctx, sock, { query_response: raw.query_response, tls: raw.tls, tlsOpts: tlsOptions(raw.tls_config, "") }, (s) => (sock = s));
  } catch (e) {
    ctx.logger.error("Error during unix socket probe", { err: e });
    return false;
  } finally {
    sock.destroy();
  }
};
