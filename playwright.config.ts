import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// Browser journeys in Debian's Chromium (no browser download): against a real server started on a
// fresh SQLite data directory.
const port = Number(process.env.E2E_PORT ?? 18_765);
const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-e2e-"));
export const E2E_API_KEY = "sk_e2e_bootstrap_key_0123456789";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  timeout: 30_000,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } },
    { name: "mobile", use: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } },
  ],
  webServer: {
    command: "node apps/server/dist/main.js",
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      SWITCHBOARD_HOST: "127.0.0.1",
      SWITCHBOARD_PORT: String(port),
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_BOOTSTRAP_API_KEY: E2E_API_KEY,
      SWITCHBOARD_LOG_LEVEL: "warn",
    },
  },
});
