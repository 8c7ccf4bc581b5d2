#!/usr/bin/env node
// `npm test`: the whole suite, in the order CI needs it. Installs the system packages tests need when
// missing (Debian's Chromium for the browser tests), type-checks sources and tests, lints, runs the unit
// and integration tests (SQLite and PostgreSQL), then the browser journeys. Each step prints its time.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const run = (command, args) => spawnSync(command, args, { stdio: "inherit" }).status === 0;

/** Debian packages the tests need, by the file that shows they are installed. */
const SYSTEM_PACKAGES = [
  { name: "chromium", file: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  { name: "sip-tester", file: "/usr/bin/sipp" },
  { name: "espeak-ng", file: "/usr/bin/espeak-ng" },
];

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((p) => !existsSync(p.file)).map((p) => p.name);
  if (missing.length === 0) return true;
  console.log(`installing ${missing.join(", ")} from Debian's packages`);
  process.env.DEBIAN_FRONTEND = "noninteractive";
  const aptGet = (...args) => (process.getuid?.() === 0 ? run("apt-get", args) : run("sudo", ["apt-get", ...args]));
  const install = () => aptGet("install", "-y", ...missing);
  return install() || (aptGet("update") && install());
}

const steps = [
  ["system packages for the tests", ensureSystemPackages],
  ["type-check (tsc -b)", () => run("npx", ["tsc", "-b"])],
  ["build the web bundles (vite)", () => run("npm", ["run", "build", "-w", "@switchboard/widget", "-w", "@switchboard/web"])],
  ["type-check tests", () => run("npx", ["tsc", "-p", "tsconfig.tests.json"])],
  ["lint and format (biome)", () => run("npx", ["biome", "check", "."])],
  ["unit and integration tests (vitest)", () => run("npx", ["vitest", "run"])],
  ["browser tests (playwright, Chromium)", () => run("npx", ["playwright", "test"])],
];

for (const [name, step] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const ok = step();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!ok) {
    console.error(`\n✖ ${name} failed after ${seconds} s`);
    process.exit(1);
  }
  console.log(`✔ ${name} (${seconds} s)`);
}
