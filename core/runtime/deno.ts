/**
 * @module core/runtime/deno
 * The Deno adapter of {@link Runtime}.
 */
import { readFileSync } from "node:fs";
import { adjtimexResult, adjtimexSupported, LIBC_NAME, TIMEX_SIZE } from "./adjtimex.ts";
import type { AdjtimexResult, FetchHandler, Runtime, ServeOptions, Server, SignalName } from "./types.ts";

declare const Deno: any;

/** adjtimex through Deno's FFI (the adapter keeps it: undefined before first use, null when unavailable, never retried). */
type AdjtimexCall = (buf: Uint8Array) => number;

/**
 * Opens libc with Deno.dlopen, or returns null when FFI is not granted: the permission is queried first
 * so that an interactive Deno never prompts from inside a scrape.
 */
function loadDenoAdjtimex(): AdjtimexCall | null {
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return null;
  const lib = Deno.dlopen(LIBC_NAME, { adjtimex: { parameters: ["buffer"], result: "i32" } });
  return (buf) => lib.symbols.adjtimex(buf) as number;
}

/** Creates the Deno runtime adapter. */
export function createDenoRuntime(): Runtime {
  let adjtimexCall: AdjtimexCall | null | undefined;
  return {
    name: "deno",
    version: Deno.version.deno as string,
    async serve(handler: FetchHandler, opts: ServeOptions): Promise<Server> {
      if (opts.tls?.requestCert) {
        throw new Error("client certificate authentication (tls_server_config.client_auth_type) is not supported on Deno; use Bun");
      }
      let resolveListen!: (a: { hostname: string; port: number }) => void;
      const listening = new Promise<{ hostname: string; port: number }>((r) => (resolveListen = r));
      const server = Deno.serve(
        {
          hostname: opts.hostname,
          port: opts.port,
          ...(opts.tls ? { cert: opts.tls.cert, key: opts.tls.key } : {}),
          onListen: (a: { hostname: string; port: number }) => resolveListen(a),
        },
        (req: Request, info: any) => {
          const a = info?.remoteAddr;
          return handler(req, { remoteAddress: a ? `${a.hostname}:${a.port}` : "" });
        },
      );
      const addr = await listening;
      return {
        hostname: addr.hostname,
        port: addr.port,
        async stop() {
          await server.shutdown();
        },
      };
    },
    onSignal(sig: SignalName, fn: () => void) {
      Deno.addSignalListener(sig, fn);
    },
    mapFile(path: string): Uint8Array {
      return readFileSync(path);
    },
    adjtimex(): AdjtimexResult | undefined {
      if (adjtimexCall === null || !adjtimexSupported()) return undefined;
      try {
        adjtimexCall ??= loadDenoAdjtimex();
        if (adjtimexCall === null) return undefined;
        const buf = new Uint8Array(TIMEX_SIZE);
        return adjtimexResult(adjtimexCall(buf), buf);
      } catch {
        adjtimexCall = null;
        return undefined;
      }
    },
  };
}
