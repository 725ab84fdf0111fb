/**
 * @module exporters/node/collectors/os
 * node_os_info and node_os_version from os-release (/etc/os-release, falling back to
 * /usr/lib/os-release, both under --path.rootfs).
 */
import { FamilySet, type NodeCollector, lines, readOptional } from "../collector.ts";

const INFO_LABELS = ["build_id", "id", "id_like", "image_id", "image_version", "name", "pretty_name", "variant", "variant_id", "version", "version_codename", "version_id"];

/** Parses os-release (KEY=value, optionally quoted with shell-style escapes). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of lines(text)) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(l.trim());
    if (!m) continue;
    let v = m[2]!;
    const q = v[0];
    if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) v = v.slice(1, -1).replace(/\\(["'$`\\])/g, "$1");
    out[m[1]!] = v;
  }
  return out;
}

/** The os collector. */
export function os(): NodeCollector {
  return {
    async update(ctx) {
      let text = await readOptional(ctx.rootfs("etc/os-release"), ctx.signal);
      text ??= await readOptional(ctx.rootfs("usr/lib/os-release"), ctx.signal);
      if (text === null) throw new Error(`no os-release file found under ${ctx.rootfs("etc")} or ${ctx.rootfs("usr/lib")}`);
      const r = parseOsRelease(text);
      const labels: Record<string, string> = {};
      for (const l of INFO_LABELS) labels[l] = r[l.toUpperCase()] ?? "";
      const fs = new FamilySet();
      fs.gauge("node_os_info", "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.", 1, labels);
      const m = /^(\d+)(\.\d+)?/.exec(r.VERSION_ID ?? "");
      if (m) fs.gauge("node_os_version", "Metric containing the major.minor part of the OS version.", Number(m[0]), { id: labels.id!, id_like: labels.id_like!, name: labels.name! });
      return fs.families();
    },
  };
}
