/**
 * @module core/runtime
 * Picks the runtime adapter once, at startup. The only place that detects which runtime runs Quiver.
 */
import { createBunRuntime } from "./bun.ts";
import { createDenoRuntime } from "./deno.ts";
import type { Runtime } from "./types.ts";

export type { AdjtimexResult, FetchHandler, Runtime, ServeOptions, Server, SignalName } from "./types.ts";

/** Detects the current runtime and returns its adapter. Throws on runtimes Quiver does not support. */
export function detectRuntime(): Runtime {
  const g = globalThis as Record<string, unknown>;
  if (typeof g.Bun !== "undefined") return createBunRuntime();
  if (typeof g.Deno !== "undefined") return createDenoRuntime();
  throw new Error("Quiver runs on Bun or Deno; this runtime is neither");
}
