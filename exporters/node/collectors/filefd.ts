/**
 * @module exporters/node/collectors/filefd
 * Allocated and maximum file handles from /proc/sys/fs/file-nr.
 */
import { FamilySet, type NodeCollector, fields, readText } from "../collector.ts";

/** The filefd collector. */
export function filefd(): NodeCollector {
  return {
    async update(ctx) {
      const f = fields(await readText(ctx.proc("sys/fs/file-nr"), ctx.signal));
      if (f.length < 3) throw new Error(`unexpected content in ${ctx.proc("sys/fs/file-nr")}`);
      const fs = new FamilySet();
      fs.gauge("node_filefd_allocated", "File descriptor statistics: allocated.", Number(f[0]));
      fs.gauge("node_filefd_maximum", "File descriptor statistics: maximum.", Number(f[2]));
      return fs.families();
    },
  };
}
