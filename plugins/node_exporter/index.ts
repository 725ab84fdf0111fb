/**
 * @module plugins/node_exporter
 * In-process node exporter: a thin adapter from exporters/node to the exporter plugin contract. The
 * plugin's settings become node_exporter flags (so they are validated by the same parser as the standalone
 * exporter), and each scrape runs every enabled collector under its own timeout.
 */
import { NodeExporter } from "../../exporters/node/exporter.ts";
import { parseNodeFlags } from "../../exporters/node/flags.ts";
import { type ExporterInstance, definePlugin } from "../../core/plugin/types.ts";
import { ConfigError } from "../../core/util/errors.ts";

/** The plugin's settings (see example.yml). */
export interface NodeExporterPluginConfig {
  procfs?: string;
  sysfs?: string;
  rootfs?: string;
  udev_data?: string;
  collector_timeout?: string;
  collectors?: { enable?: string[]; disable?: string[]; disable_defaults?: boolean };
  options?: Record<string, string | number | boolean | (string | number)[]>;
}

const KEYS = ["procfs", "sysfs", "rootfs", "udev_data", "collector_timeout", "collectors", "options"];

/** Converts plugin settings to node_exporter arguments. @throws ConfigError for unknown keys or types. */
export function configToArgs(cfg: NodeExporterPluginConfig | null | undefined): string[] {
  const c = cfg ?? {};
  if (typeof c !== "object" || Array.isArray(c)) throw new ConfigError("node_exporter: config must be a mapping");
  for (const k of Object.keys(c)) if (!KEYS.includes(k)) throw new ConfigError(`node_exporter: unknown setting ${JSON.stringify(k)} (known: ${KEYS.join(", ")})`, undefined, k);
  const args: string[] = [];
  if (c.procfs) args.push(`--path.procfs=${c.procfs}`);
  if (c.sysfs) args.push(`--path.sysfs=${c.sysfs}`);
  if (c.rootfs) args.push(`--path.rootfs=${c.rootfs}`);
  if (c.udev_data) args.push(`--path.udev.data=${c.udev_data}`);
  if (c.collector_timeout) args.push(`--collector.timeout=${c.collector_timeout}`);
  const col = c.collectors ?? {};
  for (const k of Object.keys(col)) if (!["enable", "disable", "disable_defaults"].includes(k)) throw new ConfigError(`node_exporter: unknown setting collectors.${k}`, undefined, `collectors.${k}`);
  if (col.disable_defaults) args.push("--collector.disable-defaults");
  for (const n of col.enable ?? []) args.push(`--collector.${n}`);
  for (const n of col.disable ?? []) args.push(`--no-collector.${n}`);
  for (const [k, v] of Object.entries(c.options ?? {})) {
    if (!k.startsWith("collector.")) throw new ConfigError(`node_exporter: option ${JSON.stringify(k)} is not a collector option (collector.<name>.<option>)`, undefined, `options.${k}`);
    for (const x of Array.isArray(v) ? v : [v]) args.push(`--${k}=${String(x)}`);
  }
  return args;
}

export default definePlugin<"exporter", NodeExporterPluginConfig>({
  name: "node_exporter",
  kind: "exporter",
  version: "1.0.0",
  description: "Host metrics with node_exporter's names (cpu, memory, disks, filesystems, network, …)",
  create(ctx): ExporterInstance {
    let flags;
    try {
      flags = parseNodeFlags(configToArgs(ctx.config));
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(`node_exporter: ${(e as Error).message}`);
    }
    if (flags.unknownCollectors.length > 0) {
      throw new ConfigError(`node_exporter: collectors not implemented by Quiver: ${flags.unknownCollectors.join(", ")}`);
    }
    const exporter = new NodeExporter({
      procfs: flags.procfs, sysfs: flags.sysfs, rootfs: flags.rootfs, enabled: flags.enabled, flags: flags.options,
      logger: ctx.logger, timeoutMs: flags.timeoutMs,
    });
    return { collect: (signal) => exporter.collect(signal) };
  },
});
