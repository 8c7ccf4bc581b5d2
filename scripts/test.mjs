#!/usr/bin/env node
// `npm test`: the whole suite, in the order CI needs it. Installs the system packages tests need when
// missing (espeak-ng, Debian's Chromium for the browser tests, sipp), type-checks sources and tests, lints, runs the unit
// and integration tests (SQLite and PostgreSQL), then the browser journeys. Each step prints its time.
import { spawnSync } from "node:child_process";
import { ensureSystemPackages, TEST_PACKAGES } from "./system-packages.mjs";

const run = (command, args) => spawnSync(command, args, { stdio: "inherit" }).status === 0;

const steps = [
  ["system packages for the tests", () => ensureSystemPackages(TEST_PACKAGES)],
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
