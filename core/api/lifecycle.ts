/**
 * @module core/api/lifecycle
 * The `/-/` management endpoints, answering as Prometheus's do: /-/healthy, /-/ready (503 until ready),
 * and — only with --web.enable-lifecycle — POST|PUT /-/reload and POST|PUT /-/quit (403 otherwise, with
 * Prometheus's message). Reload failures answer 500 with the reason.
 */
import { Elysia } from "elysia";
import { errorMessage } from "../util/errors.ts";

/** What the lifecycle endpoints need. */
export interface LifecycleDeps {
  enableLifecycle: boolean;
  isReady(): boolean;
  /** Reloads the configuration; throws with the reason on failure (the old config stays). */
  reload(): Promise<void>;
  /** Begins a graceful shutdown. */
  quit(): void;
}

const text = (body: string, status = 200) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/** Builds the lifecycle area. */
export function lifecycleApi(d: LifecycleDeps) {
  const app = new Elysia({ name: "lifecycle" })
    .get("/-/healthy", () => text("Quiver Server is Healthy.\n"))
    .head("/-/healthy", () => text(""))
    .get("/-/ready", () => (d.isReady() ? text("Quiver Server is Ready.\n") : text("Service Unavailable", 503)))
    .head("/-/ready", () => (d.isReady() ? text("") : text("", 503)));
  const reload = async () => {
    if (!d.enableLifecycle) return text("Lifecycle API is not enabled.", 403);
    try {
      await d.reload();
      return text("");
    } catch (e) {
      return text(`failed to reload config: ${errorMessage(e)}`, 500);
    }
  };
  const quit = () => {
    if (!d.enableLifecycle) return text("Lifecycle API is not enabled.", 403);
    setTimeout(() => d.quit(), 10);
    return text("Requesting termination... Goodbye!");
  };
  return app.post("/-/reload", reload).put("/-/reload", reload).post("/-/quit", quit).put("/-/quit", quit);
}
