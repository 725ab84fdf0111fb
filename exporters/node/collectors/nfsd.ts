/**
 * @module exporters/node/collectors/nfsd
 * NFS server statistics from /proc/net/rpc/nfsd: reply cache, file handles, disk I/O, threads, read-ahead
 * cache, network, RPC errors, and requests per procedure for NFSv2/v3 (procedure tables in kernel order)
 * and NFSv4 operations (proc4ops, indexed by operation number).
 */
import { FamilySet, NoDataError, type NodeCollector, fields, lines, readOptional } from "../collector.ts";

const V2 = ["Null", "GetAttr", "SetAttr", "Root", "Lookup", "ReadLink", "Read", "WrCache", "Write", "Create", "Remove", "Rename", "Link", "SymLink", "MkDir", "RmDir", "ReadDir", "FsStat"];
const V3 = ["Null", "GetAttr", "SetAttr", "Lookup", "Access", "ReadLink", "Read", "Write", "Create", "MkDir", "SymLink", "MkNod", "Remove", "RmDir", "Rename", "Link", "ReadDir", "ReadDirPlus", "FsStat", "FsInfo", "PathConf", "Commit"];
/** NFSv4 operation number → method label (operations 23, 24 and ≥ 40 are not exported, as upstream). */
const V4OPS: Record<number, string> = {
  3: "Access", 4: "Close", 5: "Commit", 6: "Create", 7: "DelegPurge", 8: "DelegReturn", 9: "GetAttr", 10: "GetFH", 11: "Link", 12: "Lock",
  13: "Lockt", 14: "Locku", 15: "Lookup", 16: "LookupRoot", 17: "Nverify", 18: "Open", 19: "OpenAttr", 20: "OpenConfirm", 21: "OpenDgrd",
  22: "PutFH", 25: "Read", 26: "ReadDir", 27: "ReadLink", 28: "Remove", 29: "Rename", 30: "Renew", 31: "RestoreFH", 32: "SaveFH",
  33: "SecInfo", 34: "SetAttr", 35: "SetClientID", 36: "SetClientIDConfirm", 37: "Verify", 38: "Write", 39: "RelLockOwner",
};

/** The nfsd collector. */
export function nfsd(): NodeCollector {
  return {
    async update(ctx) {
      const text = await readOptional(ctx.proc("net/rpc/nfsd"), ctx.signal);
      if (text === null) throw new NoDataError(`${ctx.proc("net/rpc/nfsd")} not found: NFSd not in use`);
      const fs = new FamilySet();
      const req = (proto: string, method: string, v: number) => fs.counter("node_nfsd_requests_total", "Total number NFSd Requests by method and protocol.", v, { proto, method });
      for (const l of lines(text)) {
        const f = fields(l);
        const v = f.slice(1).map(Number);
        switch (f[0]) {
          case "rc":
            fs.counter("node_nfsd_reply_cache_hits_total", "Total number of NFSd Reply Cache hits (client lost server response).", v[0] ?? 0);
            fs.counter("node_nfsd_reply_cache_misses_total", "Total number of NFSd Reply Cache an operation that requires caching (idempotent).", v[1] ?? 0);
            fs.counter("node_nfsd_reply_cache_nocache_total", "Total number of NFSd Reply Cache non-idempotent operations (rename/delete/…).", v[2] ?? 0);
            break;
          case "fh":
            fs.counter("node_nfsd_file_handles_stale_total", "Total number of NFSd stale file handles", v[0] ?? 0);
            break;
          case "io":
            fs.counter("node_nfsd_disk_bytes_read_total", "Total NFSd bytes read.", v[0] ?? 0);
            fs.counter("node_nfsd_disk_bytes_written_total", "Total NFSd bytes written.", v[1] ?? 0);
            break;
          case "th":
            fs.gauge("node_nfsd_server_threads", "Total number of NFSd kernel threads that are running.", v[0] ?? 0);
            break;
          case "ra":
            fs.gauge("node_nfsd_read_ahead_cache_size_blocks", "How large the read ahead cache is in blocks.", v[0] ?? 0);
            fs.counter("node_nfsd_read_ahead_cache_not_found_total", "Total number of NFSd read ahead cache not found.", v[v.length - 1] ?? 0);
            break;
          case "net":
            fs.counter("node_nfsd_packets_total", "Total NFSd network packets (sent+received) by protocol type.", v[1] ?? 0, { proto: "udp" });
            fs.counter("node_nfsd_packets_total", "Total NFSd network packets (sent+received) by protocol type.", v[2] ?? 0, { proto: "tcp" });
            fs.counter("node_nfsd_connections_total", "Total number of NFSd TCP connections.", v[3] ?? 0);
            break;
          case "rpc":
            fs.counter("node_nfsd_server_rpcs_total", "Total number of NFSd RPCs.", v[0] ?? 0);
            fs.counter("node_nfsd_rpc_errors_total", "Total number of NFSd RPC errors by error type.", v[2] ?? 0, { error: "fmt" });
            fs.counter("node_nfsd_rpc_errors_total", "Total number of NFSd RPC errors by error type.", v[3] ?? 0, { error: "auth" });
            fs.counter("node_nfsd_rpc_errors_total", "Total number of NFSd RPC errors by error type.", v[4] ?? 0, { error: "cInt" });
            break;
          case "proc2":
          case "proc3": {
            const table = f[0] === "proc2" ? V2 : V3;
            table.forEach((method, i) => {
              if (method !== "Null") req(f[0]!.slice(4), method, v[i + 1] ?? 0);
            });
            break;
          }
          case "proc4ops":
            for (const [op, method] of Object.entries(V4OPS)) req("4", method, v[Number(op) + 1] ?? 0);
            break;
          case "wdeleg_getattr":
            req("4", "WdelegGetattr", v[0] ?? 0);
            break;
        }
      }
      return fs.families();
    },
  };
}
