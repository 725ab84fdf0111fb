/**
 * @module exporters/node/collectors/filesystem
 * Filesystem sizes and inode counts via statfs(2) for each mount in <procfs>/1/mounts (falling back to
 * <procfs>/self/mounts), excluding --collector.filesystem.mount-points-exclude and fs-types-exclude.
 *
 * Each statfs runs under --collector.filesystem.mount-timeout (default 5 s): a hung mount (stale NFS) is
 * abandoned and reported with node_filesystem_device_error 1 instead of stalling the scrape. Mount points
 * are reported relative to --path.rootfs, as node_exporter does.
 */
import { statfs } from "node:fs/promises";
import { FamilySet, type NodeCollector, abortable, fields, lines, readOptional } from "../collector.ts";

/** node_exporter's default --collector.filesystem.mount-points-exclude. */
export const DEFAULT_MOUNT_POINTS_EXCLUDE = "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
/** node_exporter's default --collector.filesystem.fs-types-exclude. */
export const DEFAULT_FS_TYPES_EXCLUDE =
  "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$";
/** Default per-mount statfs timeout, ms. */
export const DEFAULT_MOUNT_TIMEOUT_MS = 5000;

/** Decodes the octal escapes of /proc mounts fields (`\040` = space). */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o) => String.fromCharCode(parseInt(o, 8)));
}

/** The filesystem collector. */
export function filesystem(): NodeCollector {
  return {
    async update(ctx) {
      const mpExclude = new RegExp(ctx.opt("collector.filesystem.mount-points-exclude") ?? DEFAULT_MOUNT_POINTS_EXCLUDE);
      const fsExclude = new RegExp(ctx.opt("collector.filesystem.fs-types-exclude") ?? DEFAULT_FS_TYPES_EXCLUDE);
      const timeoutMs = Number(ctx.opt("collector.filesystem.mount-timeout-ms") ?? DEFAULT_MOUNT_TIMEOUT_MS);
      const text = (await readOptional(ctx.proc("1/mounts"), ctx.signal)) ?? (await readOptional(ctx.proc("self/mounts"), ctx.signal));
      if (text === null) throw new Error(`couldn't read mounts from ${ctx.proc("1/mounts")} or ${ctx.proc("self/mounts")}`);
      const rootfs = ctx.rootfs("");
      const fs = new FamilySet();
      const seen = new Set<string>();
      const jobs: Promise<void>[] = [];
      for (const l of lines(text)) {
        const f = fields(l);
        if (f.length < 4) continue;
        const device = unescapeMount(f[0]!);
        let mountpoint = unescapeMount(f[1]!);
        const fstype = f[2]!;
        const opts = f[3]!.split(",");
        // Report mount points relative to --path.rootfs.
        if (rootfs !== "/" && rootfs !== "") {
          const root = rootfs.replace(/\/$/, "");
          if (!mountpoint.startsWith(root)) continue;
          mountpoint = mountpoint.slice(root.length) || "/";
        }
        if (mpExclude.test(mountpoint) || fsExclude.test(fstype)) continue;
        const key = `${device}\xff${mountpoint}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const labels = { device, mountpoint, fstype };
        const ro = opts.includes("ro") ? 1 : 0;
        jobs.push(
          (async () => {
            const timer = new AbortController();
            const t = setTimeout(() => timer.abort(new Error(`statfs ${mountpoint} timed out after ${timeoutMs}ms`)), timeoutMs);
            const both = AbortSignal.any([timer.signal, ctx.signal]);
            try {
              const st = await abortable(statfs(ctx.rootfs(mountpoint)), both);
              const base = labels;
              fs.gauge("node_filesystem_size_bytes", "Filesystem size in bytes.", st.blocks * st.bsize, base);
              fs.gauge("node_filesystem_free_bytes", "Filesystem free space in bytes.", st.bfree * st.bsize, base);
              fs.gauge("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.", st.bavail * st.bsize, base);
              fs.gauge("node_filesystem_files", "Filesystem total file nodes.", st.files, base);
              fs.gauge("node_filesystem_files_free", "Filesystem total free file nodes.", st.ffree, base);
              fs.gauge("node_filesystem_readonly", "Filesystem read-only status.", ro, base);
              fs.gauge("node_filesystem_device_error", "Whether an error occurred while getting statistics for the given device.", 0, base);
            } catch (e) {
              if (ctx.signal.aborted) throw e;
              const msg = e instanceof Error ? e.message : String(e);
              ctx.logger.debug("Error on statfs() system call", { rootfs: ctx.rootfs(mountpoint), err: msg });
              fs.gauge("node_filesystem_device_error", "Whether an error occurred while getting statistics for the given device.", 1, labels);
              fs.gauge("node_filesystem_readonly", "Filesystem read-only status.", ro, labels);
            } finally {
              clearTimeout(t);
            }
          })(),
        );
      }
      await Promise.all(jobs);
      return fs.families();
    },
  };
}
