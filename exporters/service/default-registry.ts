/**
 * @module exporters/service/default-registry
 * The prom-client style convenience registry for service code: metrics constructed without `registers`
 * register here. Quiver's own components never use it (they create their own Registry and pass
 * `registers: [registry]`); it exists so an instrumented service reads like a prom-client one.
 *
 * The instance is created lazily, on first use.
 */
import { setDefaultSinkProvider } from "./metric.ts";
import { Registry } from "./registry.ts";

let instance: Registry | null = null;

/** The process-wide default registry of service code (created on first call). */
export function defaultRegistry(): Registry {
  instance ??= new Registry();
  return instance;
}

setDefaultSinkProvider(defaultRegistry);
