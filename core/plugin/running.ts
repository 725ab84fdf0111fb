/**
 * @module core/plugin/running
 * RunningPlugin wraps one plugin instance: it owns the timeout of every call, catches what the plugin
 * throws, validates what it returns, retries a failed start with backoff, and keeps the counters and the
 * state that /metrics and /api/v1/status/plugins show. A misbehaving plugin only ever fails its own calls.
 *
 * Limitation (documented in the README): a plugin that blocks the event loop synchronously (a CPU loop)
 * cannot be pre-empted in-process; everything asynchronous (hung I/O, never-settling promises) is cut off
 * at the timeout.
 */
import type { Logger } from "../log/logger.ts";
import { QuiverError, errorMessage } from "../util/errors.ts";
import type { Lifecycle, PluginKind } from "./types.ts";

/** A plugin call failed (threw, timed out, or returned garbage). */
export class PluginError extends QuiverError {
  constructor(readonly plugin: string, message: string, readonly timedOut = false) {
    super(timedOut ? "timeout" : "execution", `plugin ${plugin}: ${message}`);
  }
}

/** Health of a running plugin instance. */
export type PluginState = "starting" | "up" | "failing" | "stopped";

/** Counters kept per instance. Durations in seconds. */
export interface PluginStats {
  calls: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
  startFailures: number;
}

/** Options of {@link RunningPlugin}. */
export interface RunningPluginOptions<I extends Lifecycle> {
  /** Instance id (config key) — for notifiers and discoverers, e.g. `receiver/webhook[0]`. */
  id: string;
  plugin: string;
  kind: PluginKind;
  version: string;
  /** Creates the instance (calls the definition's create with its context). */
  create: () => Promise<I> | I;
  logger: Logger;
  /** Default per-call timeout in ms (0 = the caller must pass one). */
  timeoutMs: number;
  /** Called once when the instance is stopped (e.g. to drop it from a status listing). */
  onStop?: () => void;
  /** Start retry backoff bounds in ms. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** One wrapped plugin instance. */
export class RunningPlugin<I extends Lifecycle> {
  readonly id: string;
  readonly plugin: string;
  readonly kind: PluginKind;
  readonly version: string;
  state: PluginState = "starting";
  lastError: string | undefined;
  /** When the last error happened, ms since the epoch. */
  lastErrorAt = 0;
  /** When the last successful call finished, ms since the epoch. */
  lastSuccessAt = 0;
  readonly stats: PluginStats = { calls: 0, errors: 0, timeouts: 0, durationSeconds: 0, startFailures: 0 };
  #instance: I | undefined;
  #opts: RunningPluginOptions<I>;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #backoff: number;
  #stopped = false;

  constructor(opts: RunningPluginOptions<I>) {
    this.#opts = opts;
    this.id = opts.id;
    this.plugin = opts.plugin;
    this.kind = opts.kind;
    this.version = opts.version;
    this.#backoff = opts.minBackoffMs ?? 1000;
  }

  /**
   * Creates and starts the instance. A config error from create() is returned (and the instance stays
   * failing, not retried: the config must change); a start() failure is retried with backoff.
   */
  async start(): Promise<void> {
    try {
      this.#instance = await this.#opts.create();
    } catch (e) {
      this.#fail(`create failed: ${errorMessage(e)}`);
      this.stats.startFailures++;
      throw e;
    }
    await this.#tryStart();
  }

  async #tryStart(): Promise<void> {
    if (this.#stopped || !this.#instance) return;
    try {
      await withTimeout(Promise.resolve(this.#instance.start?.()), this.#opts.timeoutMs || 30_000, new AbortController());
      this.state = "up";
      this.#backoff = this.#opts.minBackoffMs ?? 1000;
    } catch (e) {
      this.stats.startFailures++;
      this.#fail(`start failed: ${errorMessage(e)}`);
      const delay = this.#backoff;
      this.#backoff = Math.min(this.#backoff * 2, this.#opts.maxBackoffMs ?? 60_000);
      this.#opts.logger.warn("Plugin start failed, retrying", { plugin: this.plugin, id: this.id, retry_in_ms: delay, err: errorMessage(e) });
      this.#retry = setTimeout(() => void this.#tryStart(), delay);
      (this.#retry as { unref?: () => void }).unref?.();
    }
  }

  /** Whether the instance is created and started. */
  get ready(): boolean {
    return this.state === "up" || this.state === "failing";
  }

  /** The raw instance, for kind-specific wrappers. Undefined until created. */
  get instance(): I | undefined {
    return this.#instance;
  }

  /**
   * Runs one call against the instance under a timeout. `validate` checks the result and returns an
   * error reason for garbage. Throws PluginError on failure; never lets a plugin's error escape raw.
   * @param timeoutMs per-call timeout in ms; 0 uses the configured default.
   */
  async call<T>(what: string, fn: (inst: I, signal: AbortSignal) => Promise<T> | T, opts: {
    timeoutMs?: number;
    signal?: AbortSignal;
    validate?: (v: T) => string | undefined;
  } = {}): Promise<T> {
    const inst = this.#instance;
    if (!inst || !this.ready) throw new PluginError(this.plugin, `not running (${this.lastError ?? this.state})`);
    const timeout = opts.timeoutMs || this.#opts.timeoutMs || 10_000;
    const ac = new AbortController();
    const onOuter = () => ac.abort(opts.signal?.reason);
    opts.signal?.addEventListener("abort", onOuter, { once: true });
    const t0 = performance.now();
    this.stats.calls++;
    try {
      const v = await withTimeout(Promise.resolve().then(() => fn(inst, ac.signal)), timeout, ac);
      const bad = opts.validate?.(v);
      if (bad) throw new PluginError(this.plugin, `${what} returned invalid data: ${bad}`);
      this.state = "up";
      this.lastSuccessAt = Date.now();
      return v;
    } catch (e) {
      const timedOut = e instanceof TimeoutSignal;
      if (timedOut) this.stats.timeouts++;
      this.stats.errors++;
      const msg = timedOut ? `${what} timed out after ${timeout}ms` : e instanceof PluginError ? e.message : `${what} failed: ${errorMessage(e)}`;
      this.#fail(msg);
      this.state = "failing";
      throw e instanceof PluginError ? e : new PluginError(this.plugin, msg, timedOut);
    } finally {
      this.stats.durationSeconds += (performance.now() - t0) / 1000;
      opts.signal?.removeEventListener("abort", onOuter);
    }
  }

  /** Stops the instance (bounded by the timeout); errors are logged, not thrown. */
  async stop(): Promise<void> {
    if (!this.#stopped) this.#opts.onStop?.();
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    const inst = this.#instance;
    this.state = "stopped";
    if (!inst?.stop) return;
    try {
      await withTimeout(Promise.resolve().then(() => inst.stop!()), this.#opts.timeoutMs || 10_000, new AbortController());
    } catch (e) {
      this.#opts.logger.warn("Plugin stop failed", { plugin: this.plugin, id: this.id, err: errorMessage(e) });
    }
  }

  #fail(msg: string): void {
    this.lastError = msg;
    this.lastErrorAt = Date.now();
    if (this.state === "starting") this.state = "failing";
    this.#opts.logger.warn("Plugin error", { plugin: this.plugin, id: this.id, err: msg });
  }
}

class TimeoutSignal extends Error {}

/** Races `p` against a timer; aborts `ac` and rejects with TimeoutSignal when the timer wins. */
function withTimeout<T>(p: Promise<T>, ms: number, ac: AbortController): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort(new Error("timeout"));
      reject(new TimeoutSignal("timeout"));
    }, ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
