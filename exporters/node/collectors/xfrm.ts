/**
 * @module exporters/node/collectors/xfrm
 * IPsec transformation statistics from /proc/net/xfrm_stat: `XfrmInNoStates 3` becomes
 * node_xfrm_in_no_states_packets_total, with node_exporter's HELP text per counter (the kernel's
 * documentation of each field, Documentation/networking/xfrm_proc.rst).
 */
import { FamilySet, type NodeCollector, fields, lines, readText } from "../collector.ts";

/** Field → HELP text. */
const HELP: Record<string, string> = {
  XfrmInError: "All errors not matched by other",
  XfrmInBufferError: "No buffer is left",
  XfrmInHdrError: "Header error",
  XfrmInNoStates: "No state is found i.e. Either inbound SPI, address, or IPsec protocol at SA is wrong",
  XfrmInStateProtoError: "Transformation protocol specific error e.g. SA key is wrong",
  XfrmInStateModeError: "Transformation mode specific error",
  XfrmInStateSeqError: "Sequence error i.e. Sequence number is out of window",
  XfrmInStateExpired: "State is expired",
  XfrmInStateMismatch: "State has mismatch option e.g. UDP encapsulation type is mismatch",
  XfrmInStateInvalid: "State is invalid",
  XfrmInTmplMismatch: "No matching template for states e.g. Inbound SAs are correct but SP rule is wrong",
  XfrmInNoPols: "No policy is found for states e.g. Inbound SAs are correct but no SP is found",
  XfrmInPolBlock: "Policy discards",
  XfrmInPolError: "Policy error",
  XfrmOutError: "All errors which is not matched others",
  XfrmOutBundleGenError: "Bundle generation error",
  XfrmOutBundleCheckError: "Bundle check error",
  XfrmOutNoStates: "No state is found",
  XfrmOutStateProtoError: "Transformation protocol specific error",
  XfrmOutStateModeError: "Transformation mode specific error",
  XfrmOutStateSeqError: "Sequence error i.e. Sequence number overflow",
  XfrmOutStateExpired: "State is expired",
  XfrmOutPolBlock: "Policy discards",
  XfrmOutPolDead: "Policy is dead",
  XfrmOutPolError: "Policy error",
  XfrmFwdHdrError: "Forward routing of a packet is not allowed",
  XfrmOutStateInvalid: "State is invalid, perhaps expired",
  XfrmAcquireError: "State hasn’t been fully acquired before use",
};

/** `XfrmInNoStates` → `in_no_states`. */
export function xfrmMetricName(field: string): string {
  return field.replace(/^Xfrm/, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** The xfrm collector. */
export function xfrm(): NodeCollector {
  return {
    async update(ctx) {
      const fs = new FamilySet();
      for (const l of lines(await readText(ctx.proc("net/xfrm_stat"), ctx.signal))) {
        const [k, v] = fields(l);
        if (!k || v === undefined) continue;
        fs.counter(`node_xfrm_${xfrmMetricName(k)}_packets_total`, HELP[k] ?? `${k} counter`, Number(v));
      }
      return fs.families();
    },
  };
}
