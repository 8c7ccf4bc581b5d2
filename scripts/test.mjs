#!/usr/bin/env node
// `npm test`: the whole suite, in the order CI needs it. Type-check first (sources and tests), then lint,
// then every test (unit and integration on SQLite and PostgreSQL). Each step prints its name and time.
import { spawnSync } from "node:child_process";

const steps = [
  ["type-check (tsc -b)", "npx", ["tsc", "-b"]],
  ["type-check tests", "npx", ["tsc", "-p", "tsconfig.tests.json"]],
  ["lint and format (biome)", "npx", ["biome", "check", "."]],
  ["tests (vitest)", "npx", ["vitest", "run", ...process.argv.slice(2)]],
];

for (const [name, command, args] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} (${seconds} s)`);
}
