/**
 * @module core/runtime/bun
 * The Bun adapter of {@link Runtime}.
 */
import { readFileSync } from "node:fs";
import type { FetchHandler, Runtime, ServeOptions, Server, SignalName } from "./types.ts";

declare const Bun: any;

/** Creates the Bun runtime adapter. */
export function createBunRuntime(): Runtime {
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
  };
}
