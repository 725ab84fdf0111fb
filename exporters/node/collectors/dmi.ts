/**
 * @module exporters/node/collectors/dmi
 * Hardware identity from /sys/class/dmi/id as node_dmi_info (labels only for the files that exist;
 * sys_vendor is exported as system_vendor). Some files (serials, UUID) are readable by root only and are
 * then left out.
 */
import { FamilySet, NoDataError, type NodeCollector, listDirOptional, readOptional } from "../collector.ts";

const FILES: [file: string, label: string][] = [
  ["bios_date", "bios_date"], ["bios_release", "bios_release"], ["bios_vendor", "bios_vendor"], ["bios_version", "bios_version"],
  ["board_asset_tag", "board_asset_tag"], ["board_name", "board_name"], ["board_serial", "board_serial"], ["board_vendor", "board_vendor"],
  ["board_version", "board_version"], ["chassis_asset_tag", "chassis_asset_tag"], ["chassis_serial", "chassis_serial"],
  ["chassis_vendor", "chassis_vendor"], ["chassis_version", "chassis_version"], ["product_family", "product_family"],
  ["product_name", "product_name"], ["product_serial", "product_serial"], ["product_sku", "product_sku"], ["product_uuid", "product_uuid"],
  ["product_version", "product_version"], ["sys_vendor", "system_vendor"],
];

/** The dmi collector. */
export function dmi(): NodeCollector {
  return {
    async update(ctx) {
      const dir = ctx.sys("class/dmi/id");
      const present = new Set(await listDirOptional(dir, ctx.signal));
      if (present.size === 0) throw new NoDataError("DMI information is not available");
      const labels: Record<string, string> = {};
      for (const [file, label] of FILES) {
        if (!present.has(file)) continue;
        const v = await readOptional(`${dir}/${file}`, ctx.signal);
        if (v !== null) labels[label] = v;
      }
      const fs = new FamilySet();
      fs.gauge("node_dmi_info", "A metric with a constant '1' value labeled by bios_date, bios_release, bios_vendor, bios_version, board_asset_tag, board_name, board_serial, board_vendor, board_version, chassis_asset_tag, chassis_serial, chassis_vendor, chassis_version, product_family, product_name, product_serial, product_sku, product_uuid, product_version, system_vendor if provided by DMI.", 1, labels);
      return fs.families();
    },
  };
}
