/**
 * @module core/runtime/types
 * The neutral contract every runtime adapter implements. Only core/runtime may touch `Bun.` or `Deno.`;
 * everything else uses these functions plus web standards (Request, Response, URL, streams) and the
 * `node:` modules both runtimes provide.
 */

/** A fetch-style request handler. */
export type FetchHandler = (req: Request, info: { remoteAddress: string }) => Response | Promise<Response>;

/** Options for {@link Runtime.serve}. */
export interface ServeOptions {
  hostname: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /**
   * PEM certificate and key, for HTTPS; `ca` + `requestCert` ask clients for certificates (mutual TLS),
   * `rejectUnauthorized` refuses clients without a certificate signed by `ca`.
   */
  tls?: { cert: string; key: string; ca?: string; requestCert?: boolean; rejectUnauthorized?: boolean };
}

/** A running HTTP server. */
export interface Server {
  readonly hostname: string;
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Stops accepting connections and closes open ones. */
  stop(): Promise<void>;
}

/** Signals Quiver reacts to. */
export type SignalName = "SIGHUP" | "SIGTERM" | "SIGINT";

/**
 * The raw answer of adjtimex(2) called read-only (`modes` = 0, which needs no privilege).
 * `timex` is the kernel's `struct timex` in glibc's LP64 layout (208 bytes, native byte order, the same on
 * x86_64 and aarch64); the buffer is fresh for every call and owned by the caller.
 */
export interface AdjtimexResult {
  /** The clock state adjtimex returned: TIME_OK 0, TIME_INS 1, TIME_DEL 2, TIME_OOP 3, TIME_WAIT 4, TIME_ERROR 5. */
  state: number;
  /** The filled `struct timex`. */
  timex: DataView;
}

/** What differs between Bun and Deno. */
export interface Runtime {
  readonly name: "bun" | "deno";
  /** The runtime's version string. */
  readonly version: string;
  serve(handler: FetchHandler, opts: ServeOptions): Promise<Server>;
  /** Registers a handler for a process signal. */
  onSignal(sig: SignalName, fn: () => void): void;
  /** Maps a file read-only into memory where supported, else reads it. Never write to a mapped file. */
  mapFile(path: string): Uint8Array;
  /**
   * Reads the kernel clock discipline state through FFI (an optional capability): undefined when it is not
   * reachable (not Linux on x86_64/aarch64, no glibc, FFI not permitted, e.g. Deno without --allow-ffi) or
   * when the call fails (returns -1). Never throws. The C library is loaded on first use and kept open.
   */
  adjtimex(): AdjtimexResult | undefined;
}
