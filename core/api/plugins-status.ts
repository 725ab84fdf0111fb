/**
 * @module core/api/plugins-status
 * GET /api/v1/status/plugins (a Quiver extension, in the API's usual envelope): every plugin folder with
 * its kind, version, load error, and each instance's health and call counters.
 */
import { Elysia } from "elysia";
import { mount } from "./v1/envelope.ts";

/** One plugin's status row (core/plugin's PluginStatus satisfies it). */
export interface PluginStatusRow {
  name: string;
  kind?: string;
  version?: string;
  load: string;
  error?: string;
  instances: unknown[];
}

/** Builds the area; `status` is read per request. */
export function pluginsStatusApi(status: () => PluginStatusRow[], routePrefix = "") {
  return mount(new Elysia({ name: "api-plugins-status" }), ["GET"], `${routePrefix}/api/v1/status/plugins`, async () => ({ data: status() }));
}
