/**
 * @module exporters/blackbox/probers/icmp
 * The icmp prober. ICMP echo needs a raw (or unprivileged ICMP datagram) socket, which neither Bun nor
 * Deno expose without FFI, and Quiver keeps runtime-specific code out of exporters. The prober therefore
 * resolves the target (so probe_ip_protocol and the DNS metrics are still exported) and then fails the
 * probe with a clear logged reason: probe_success 0, never a crash.
 */
import type { Prober } from "../prober.ts";
import { resolveTarget } from "../resolve.ts";

/** The reason logged by every ICMP probe. */
export const ICMP_UNSUPPORTED = "ICMP probes need raw sockets, which this JavaScript runtime does not provide; use a tcp or http module, or run blackbox_exporter for ICMP";

/** The icmp prober. */
export const probeICMP: Prober = async (ctx) => {
  const cfg = ctx.module.icmp;
  const r = await resolveTarget(ctx, ctx.target, cfg.preferred_ip_protocol, cfg.ip_protocol_fallback);
  if (!r) return false;
  ctx.metrics.set("probe_icmp_duration_seconds", "Duration of icmp request by phase", r.lookupSeconds, { phase: "resolve" });
  ctx.logger.error("Error listening to socket", { err: ICMP_UNSUPPORTED });
  return false;
};
