/**
 * @module core/runtime/deno
 * The Deno adapter of {@link Runtime}.
 */
import { readFileSync } from "node:fs";
import type { FetchHandler, Runtime, ServeOptions, Server, SignalName } from "./types.ts";

declare const Deno: any;

/** Creates the Deno runtime adapter. */
export function createDenoRuntime(): Runtime {
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
  };
}
