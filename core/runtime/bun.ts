/**
 * @module core/runtime/bun
 * The Bun adapter of {@link Runtime}.
 */
import { readFileSync } from "node:fs";
import { adjtimexResult, adjtimexSupported, LIBC_NAME, TIMEX_SIZE } from "./adjtimex.ts";
import type { AdjtimexResult, FetchHandler, Runtime, ServeOptions, Server, SignalName } from "./types.ts";

declare const Bun: any;

/** adjtimex through bun:ffi (the adapter keeps it: undefined before first use, null once loading failed, never retried). */
type AdjtimexCall = (buf: Uint8Array) => number;

/** Opens libc with bun:ffi (required lazily: Deno loads this module too and has no bun:ffi). */
function loadBunAdjtimex(): AdjtimexCall {
  const ffi = require("bun:ffi") as typeof import("bun:ffi");
  const lib = ffi.dlopen(LIBC_NAME, { adjtimex: { args: [ffi.FFIType.ptr], returns: ffi.FFIType.i32 } });
  return (buf) => lib.symbols.adjtimex(ffi.ptr(buf)) as number;
}

/** Creates the Bun runtime adapter. */
export function createBunRuntime(): Runtime {
  let adjtimexCall: AdjtimexCall | null | undefined;
  return {
    name: "bun",
    version: Bun.version as string,
    async serve(handler: FetchHandler, opts: ServeOptions): Promise<Server> {
      const server = Bun.serve({
        hostname: opts.hostname,
        port: opts.port,
        tls: opts.tls,
        idleTimeout: 120,
        fetch(req: Request, srv: any) {
          const addr = srv.requestIP(req);
          return handler(req, { remoteAddress: addr ? `${addr.address}:${addr.port}` : "" });
        },
      });
      return {
        hostname: server.hostname as string,
        port: server.port as number,
        async stop() {
          await server.stop(true);
        },
      };
    },
    onSignal(sig: SignalName, fn: () => void) {
      process.on(sig, fn);
    },
    mapFile(path: string): Uint8Array {
      try {
        return Bun.mmap(path, { shared: false }) as Uint8Array;
      } catch {
        return readFileSync(path);
      }
    },
    adjtimex(): AdjtimexResult | undefined {
      if (adjtimexCall === null || !adjtimexSupported()) return undefined;
      try {
        adjtimexCall ??= loadBunAdjtimex();
        const buf = new Uint8Array(TIMEX_SIZE);
        return adjtimexResult(adjtimexCall(buf), buf);
      } catch {
        adjtimexCall = null;
        return undefined;
      }
    },
  };
}
