/**
 * @module exporters/node/collectors/bonding
 * Bonding interfaces from /sys/class/net/bonding_masters: configured slaves and slaves whose MII status is
 * up (node_bonding_slaves, node_bonding_active).
 */
import { FamilySet, NoDataError, type NodeCollector, fields, readOptional } from "../collector.ts";

/** The bonding collector. */
export function bonding(): NodeCollector {
  return {
    async update(ctx) {
      const masters = await readOptional(ctx.sys("class/net/bonding_masters"), ctx.signal);
      if (masters === null) throw new NoDataError("bonding_masters not found: no bonding interfaces");
      const fs = new FamilySet();
      for (const master of fields(masters)) {
        const slaves = fields((await readOptional(ctx.sys("class/net", master, "bonding/slaves"), ctx.signal)) ?? "");
        let active = 0;
        for (const s of slaves) {
          const st = (await readOptional(ctx.sys("class/net", master, `lower_${s}`, "bonding_slave/mii_status"), ctx.signal)) ??
            (await readOptional(ctx.sys("class/net", master, `slave_${s}`, "bonding_slave/mii_status"), ctx.signal));
          if (st === "up") active++;
        }
        fs.gauge("node_bonding_slaves", "Number of configured slaves per bonding interface.", slaves.length, { master });
        fs.gauge("node_bonding_active", "Number of active slaves per bonding interface.", active, { master });
      }
      return fs.families();
    },
  };
}
