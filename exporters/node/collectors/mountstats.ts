/**
 * @module exporters/node/collectors/mountstats
 * NFS client statistics per mount from <procfs>/self/mountstats (node_exporter's mountstats collector):
 * age, byte counters, events, per-transport RPC counters and per-operation statistics. Mounts of the same
 * export, address and protocol are reported once (the first), as upstream; node_mountstats_nfs_mountpoint_info
 * is emitted once per distinct (export, address, protocol, mount point). Cumulative millisecond times are taken modulo 2^53 before conversion to
 * seconds, exactly as node_exporter does, so huge kernel counters render identically.
 */
import { FamilySet, NoDataError, type NodeCollector, type CollectorContext, fields, lines, readLinkOptional, readOptional } from "../collector.ts";

const EVENTS: [metric: string, help: string][] = [
  ["inode_revalidate", "Number of times cached inode attributes are re-validated from the server."],
  ["dnode_revalidate", "Number of times cached dentry nodes are re-validated from the server."],
  ["data_invalidate", "Number of times an inode cache is cleared."],
  ["attribute_invalidate", "Number of times cached inode attributes are invalidated."],
  ["vfs_open", "Number of times cached inode attributes are invalidated."],
  ["vfs_lookup", "Number of times a directory lookup has occurred."],
  ["vfs_access", "Number of times permissions have been checked."],
  ["vfs_update_page", "Number of updates (and potential writes) to pages."],
  ["vfs_read_page", "Number of pages read directly via mmap()'d files."],
  ["vfs_read_pages", "Number of times a group of pages have been read."],
  ["vfs_write_page", "Number of pages written directly via mmap()'d files."],
  ["vfs_write_pages", "Number of times a group of pages have been written."],
  ["vfs_getdents", "Number of times directory entries have been read with getdents()."],
  ["vfs_setattr", "Number of times directory entries have been read with getdents()."],
  ["vfs_flush", "Number of pending writes that have been forcefully flushed to the server."],
  ["vfs_fsync", "Number of times fsync() has been called on directories and files."],
  ["vfs_lock", "Number of times locking has been attempted on a file."],
  ["vfs_file_release", "Number of times files have been closed and released."],
  ["", ""], // congestion wait: not exported
  ["truncation", "Number of times files have been truncated."],
  ["write_extension", "Number of times a file has been grown due to writes beyond its existing end."],
  ["silly_rename", "Number of times a file was removed while still open by another process."],
  ["short_read", "Number of times the NFS server gave less data than expected while reading."],
  ["short_write", "Number of times the NFS server wrote less data than expected while writing."],
  ["jukebox_delay", "Number of times the NFS server indicated EJUKEBOX; retrieving data from offline storage."],
  ["pnfs_read", "Number of NFS v4.1+ pNFS reads."],
  ["pnfs_write", "Number of NFS v4.1+ pNFS writes."],
];
const BYTES: [metric: string, help: string][] = [
  ["read_bytes_total", "Number of bytes read using the read() syscall."],
  ["write_bytes_total", "Number of bytes written using the write() syscall."],
  ["direct_read_bytes_total", "Number of bytes read using the read() syscall in O_DIRECT mode."],
  ["direct_write_bytes_total", "Number of bytes written using the write() syscall in O_DIRECT mode."],
  ["total_read_bytes_total", "Number of bytes read from the NFS server, in total."],
  ["total_write_bytes_total", "Number of bytes written to the NFS server, in total."],
  ["read_pages_total", "Number of pages read directly via mmap()'d files."],
  ["write_pages_total", "Number of pages written directly via mmap()'d files."],
];
const MANTISSA = 2n ** 53n;

/** Milliseconds (possibly beyond 2^53) → seconds, as node_exporter: (ms mod 2^53) / 1000. */
function msToSeconds(ms: string): number {
  return Number(BigInt(ms) % MANTISSA) / 1000;
}

interface Mount {
  device: string;
  mountpoint: string;
  fstype: string;
  opts: Map<string, string>;
  body: string[];
}

/** Splits mountstats into NFS mounts with their indented detail lines. */
function parseMounts(text: string): Mount[] {
  const out: Mount[] = [];
  let cur: Mount | null = null;
  for (const l of lines(text)) {
    const m = /^device (\S+) mounted on (.+) with fstype (\S+)(?: statvers=\S+)?$/.exec(l);
    if (m) {
      cur = /^nfs4?$/.test(m[3]!) && l.includes("statvers=") ? { device: m[1]!, mountpoint: m[2]!, fstype: m[3]!, opts: new Map(), body: [] } : null;
      if (cur) out.push(cur);
      continue;
    }
    if (!cur) continue;
    const t = l.trim();
    if (t.startsWith("opts:")) {
      for (const kv of t.slice(5).trim().split(",")) {
        const i = kv.indexOf("=");
        cur.opts.set(i < 0 ? kv : kv.slice(0, i), i < 0 ? "" : kv.slice(i + 1));
      }
    } else cur.body.push(t);
  }
  return out;
}

/**
 * The mountstats file of this process: <procfs>/<pid>/mountstats with the pid read from the `self` link
 * (procfs.Self() in Go). A `self` that is a plain file holding the pid (a fixture copied without its
 * symlinks) is accepted too.
 */
async function selfMountstats(ctx: CollectorContext): Promise<string | null> {
  let pid = await readLinkOptional(ctx.proc("self"));
  if (pid === null) {
    const content = await readOptional(ctx.proc("self"), ctx.signal).catch(() => null);
    if (content !== null && /^\d+$/.test(content)) pid = content;
  }
  return readOptional(ctx.proc(pid ?? "self", "mountstats"), ctx.signal);
}

/** The mountstats collector. */
export function mountstats(): NodeCollector {
  return {
    async update(ctx) {
      const text = await selfMountstats(ctx);
      if (text === null) throw new NoDataError(`${ctx.proc("self/mountstats")} not found`);
      const fs = new FamilySet();
      const seen = new Set<string>();
      const seenMountpoints = new Set<string>();
      const p = "node_mountstats_nfs_";
      for (const mnt of parseMounts(text)) {
        const protocol = mnt.opts.get("proto") ?? "";
        const mountaddr = mnt.opts.get("mountaddr") ?? mnt.device.slice(0, Math.max(0, mnt.device.lastIndexOf(":")));
        const labels = { export: mnt.device, protocol, mountaddr };
        const infoKey = JSON.stringify({ ...labels, mountpoint: mnt.mountpoint });
        if (!seenMountpoints.has(infoKey)) {
          seenMountpoints.add(infoKey);
          fs.gauge(`${p}mountpoint_info`, "Info metric for an NFS mountpoint.", 1, { ...labels, mountpoint: mnt.mountpoint });
        }
        const key = JSON.stringify(labels);
        if (seen.has(key)) continue;
        seen.add(key);
        let inOps = false;
        let transport = 0;
        for (const t of mnt.body) {
          const [k, ...rest] = fields(t);
          if (t === "per-op statistics") {
            inOps = true;
            continue;
          }
          if (inOps) {
            const op = /^(\w+):$/.exec(k ?? "");
            if (!op || rest.length < 8) continue;
            const l = { ...labels, operation: op[1]! };
            fs.counter(`${p}operations_requests_total`, "Number of requests performed for a given operation.", Number(rest[0]), l);
            fs.counter(`${p}operations_transmissions_total`, "Number of times an actual RPC request has been transmitted for a given operation.", Number(rest[1]), l);
            fs.counter(`${p}operations_major_timeouts_total`, "Number of times a request has had a major timeout for a given operation.", Number(rest[2]), l);
            fs.counter(`${p}operations_sent_bytes_total`, "Number of bytes sent for a given operation, including RPC headers and payload.", Number(rest[3]), l);
            fs.counter(`${p}operations_received_bytes_total`, "Number of bytes received for a given operation, including RPC headers and payload.", Number(rest[4]), l);
            fs.counter(`${p}operations_queue_time_seconds_total`, "Duration all requests spent queued for transmission for a given operation before they were sent, in seconds.", msToSeconds(rest[5]!), l);
            fs.counter(`${p}operations_response_time_seconds_total`, "Duration all requests took to get a reply back after a request for a given operation was transmitted, in seconds.", msToSeconds(rest[6]!), l);
            fs.counter(`${p}operations_request_time_seconds_total`, "Duration all requests took from when a request was enqueued to when it was completely handled for a given operation, in seconds.", msToSeconds(rest[7]!), l);
            continue;
          }
          switch (k) {
            case "age:":
              fs.counter(`${p}age_seconds_total`, "The age of the NFS mount in seconds.", Number(rest[0]), labels);
              break;
            case "events:":
              EVENTS.forEach(([m, help], i) => {
                if (m && rest[i] !== undefined) fs.counter(`${p}event_${m}_total`, help, Number(rest[i]), labels);
              });
              break;
            case "bytes:":
              BYTES.forEach(([m, help], i) => {
                if (rest[i] !== undefined) fs.counter(`${p}${m}`, help, Number(rest[i]), labels);
              });
              break;
            case "xprt:": {
              const [proto, ...v] = rest;
              // tcp: port bind connect connect_idle idle sends recvs bad_xids req_u backlog_u max_slots sending_u pending_u
              // udp: port bind sends recvs bad_xids req_u backlog_u max_slots sending_u pending_u
              const n = v.map(Number);
              const x = proto === "udp"
                ? { bind: n[1], connect: 0, idle: 0, sends: n[2], recvs: n[3], bad: n[4], backlog: n[6], slots: n[7], sending: n[8], pending: n[9] }
                : { bind: n[1], connect: n[2], idle: n[4], sends: n[5], recvs: n[6], bad: n[7], backlog: n[9], slots: n[10], sending: n[11], pending: n[12] };
              const l = { ...labels, transport: String(transport++) };
              fs.counter(`${p}transport_bind_total`, "Number of times the client has had to establish a connection from scratch to the NFS server.", x.bind ?? 0, l);
              fs.counter(`${p}transport_connect_total`, "Number of times the client has made a TCP connection to the NFS server.", x.connect ?? 0, l);
              fs.gauge(`${p}transport_idle_time_seconds`, "Duration since the NFS mount last saw any RPC traffic, in seconds.", x.idle ?? 0, l);
              fs.counter(`${p}transport_sends_total`, "Number of RPC requests for this mount sent to the NFS server.", x.sends ?? 0, l);
              fs.counter(`${p}transport_receives_total`, "Number of RPC responses for this mount received from the NFS server.", x.recvs ?? 0, l);
              fs.counter(`${p}transport_bad_transaction_ids_total`, "Number of times the NFS server sent a response with a transaction ID unknown to this client.", x.bad ?? 0, l);
              fs.counter(`${p}transport_backlog_queue_total`, "Total number of items added to the RPC backlog queue.", x.backlog ?? 0, l);
              fs.gauge(`${p}transport_maximum_rpc_slots`, "Maximum number of simultaneously active RPC requests ever used.", x.slots ?? 0, l);
              fs.counter(`${p}transport_sending_queue_total`, "Total number of items added to the RPC transmission sending queue.", x.sending ?? 0, l);
              fs.counter(`${p}transport_pending_queue_total`, "Total number of items added to the RPC transmission pending queue.", x.pending ?? 0, l);
              break;
            }
          }
        }
      }
      return fs.families();
    },
  };
}
