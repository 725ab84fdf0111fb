/**
 * @module test/helpers/browser
 * Launches Debian's Chromium (/usr/bin/chromium) headless through playwright-core for e2e tests, with
 * the flags a closed network needs (no QUIC, no background networking, no component updates, no sync)
 * and a fresh profile folder, removed on close. Tests call {@link chromiumMissing} first and skip with
 * its message when the browser is absent.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { REPO_ROOT } from "./shared.ts";

/** Where Debian installs Chromium. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Folder for screenshots and other test artifacts (gitignored). */
export const ARTIFACTS_DIR = join(REPO_ROOT, "test-artifacts");

/** Returns a skip reason when Chromium is not installed, else undefined. */
export function chromiumMissing(path = CHROMIUM_PATH): string | undefined {
  return existsSync(path) ? undefined : `${path} not found: install Debian's chromium package to run the browser tests`;
}

/** A launched browser context on its own profile folder; `close()` stops the browser and removes the profile. */
export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh --user-data-dir. Throws when it cannot start. */
export async function launchBrowser(path = CHROMIUM_PATH): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "quiver-chromium-"));
  const args = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ];
  // playwright passes the fresh profile as --user-data-dir (it refuses that flag in launch()'s args).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: path, args, headless: true, timeout: 30_000, viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Returns the artifacts folder for `area` (created if needed), e.g. test-artifacts/ui. */
export function artifactsDir(area: string): string {
  const dir = join(ARTIFACTS_DIR, area);
  mkdirSync(dir, { recursive: true });
  return dir;
}
