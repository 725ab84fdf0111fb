/**
 * @module exporters/node/collectors/nfs
 * NFS client statistics from /proc/net/rpc/nfs: network packets and connections, RPC counts and
 * per-procedure request counts for NFSv2, v3 and v4 (procedure tables in kernel order).
 */
import { FamilySet, NoDataError, type NodeCollector, fields, lines, readOptional } from "../collector.ts";

const V2 = ["Null", "GetAttr", "SetAttr", "Root", "Lookup", "ReadLink", "Read", "WrCache", "Write", "Create", "Remove", "Rename", "Link", "SymLink", "MkDir", "RmDir", "ReadDir", "FsStat"];
const V3 = ["Null", "GetAttr", "SetAttr", "Lookup", "Access", "ReadLink", "Read", "Write", "Create", "MkDir", "SymLink", "MkNod", "Remove", "RmDir", "Rename", "Link", "ReadDir", "ReadDirPlus", "FsStat", "FsInfo", "PathConf", "Commit"];
const V4 = [
  "Null", "Read", "Write", "Commit", "Open", "OpenConfirm", "OpenNoattr", "OpenDowngrade", "Close", "Setattr", "FsInfo", "Renew",
  "SetClientID", "SetClientIDConfirm", "Lock", "Lockt", "Locku", "Access", "Getattr", "Lookup", "LookupRoot", "Remove", "Rename",
  "Link", "Symlink", "Create", "Pathconf", "StatFs", "ReadLink", "ReadDir", "ServerCaps", "DelegReturn", "GetACL", "SetACL",
  "FsLocations", "ReleaseLockowner", "Secinfo", "FsidPresent", "ExchangeID", "CreateSession", "DestroySession", "Sequence",
  "GetLeaseTime", "ReclaimComplete", "GetDeviceInfo", "LayoutGet", "LayoutCommit", "LayoutReturn", "SecinfoNoName", "TestStateID",
  "FreeStateID", "GetDeviceList", "BindConnToSession", "DestroyClientID", "Seek", "Allocate", "DeAllocate", "LayoutStats", "Clone",
];

/** The nfs collector. */
export function nfs(): NodeCollector {
  return {
    async update(ctx) {
      const text = await readOptional(ctx.proc("net/rpc/nfs"), ctx.signal);
      if (text === null) throw new NoDataError(`${ctx.proc("net/rpc/nfs")} not found: NFS client not in use`);
      const fs = new FamilySet();
      const reqHelp = "Number of NFS procedures invoked.";
      for (const l of lines(text)) {
        const f = fields(l);
        const v = f.slice(1).map(Number);
        switch (f[0]) {
          case "net":
            fs.counter("node_nfs_packets_total", "Total NFSd network packets (sent+received) by protocol type.", v[1] ?? 0, { protocol: "udp" });
            fs.counter("node_nfs_packets_total", "Total NFSd network packets (sent+received) by protocol type.", v[2] ?? 0, { protocol: "tcp" });
            fs.counter("node_nfs_connections_total", "Total number of NFSd TCP connections.", v[3] ?? 0);
            break;
          case "rpc":
            fs.counter("node_nfs_rpcs_total", "Total number of RPCs performed.", v[0] ?? 0);
            fs.counter("node_nfs_rpc_retransmissions_total", "Number of RPC transmissions performed.", v[1] ?? 0);
            fs.counter("node_nfs_rpc_authentication_refreshes_total", "Number of RPC authentication refreshes performed.", v[2] ?? 0);
            break;
          case "proc2":
          case "proc3":
          case "proc4": {
            const table = f[0] === "proc2" ? V2 : f[0] === "proc3" ? V3 : V4;
            const proto = f[0].slice(4);
            table.forEach((method, i) => fs.counter("node_nfs_requests_total", reqHelp, v[i + 1] ?? 0, { proto, method }));
            break;
          }
        }
      }
      return fs.families();
    },
  };
}
