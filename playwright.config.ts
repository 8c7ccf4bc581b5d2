import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { E2E_API_KEY, E2E_MAILBOX_URL, E2E_PORT, E2E_SIP_PORT, E2E_SMTP_PORT } from "./e2e/support/env.js";

// Browser journeys in Debian's Chromium (no browser download): against a real server started on a
// fresh SQLite data directory.
const port = E2E_PORT;

export { E2E_API_KEY };

const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-e2e-"));

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
        // A fake microphone (a periodic beep) and camera, allowed without a prompt: the web calling journey.
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } },
    { name: "mobile", use: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } },
  ],
  webServer: [
    {
      command: `node e2e/support/smtp-sink.mjs ${E2E_SMTP_PORT} ${E2E_PORT + 2}`,
      url: E2E_MAILBOX_URL,
      reuseExistingServer: false,
      timeout: 20_000,
    },
    {
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
        SWITCHBOARD_SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
        // Off 5060, so that a second server on the machine does not clash; fixed, so that a test can call it.
        SWITCHBOARD_SIP_PORT: String(E2E_SIP_PORT),
        SWITCHBOARD_RTP_PORTS: `${E2E_PORT + 10}-${E2E_PORT + 209}`,
      },
    },
  ],
});
