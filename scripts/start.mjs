#!/usr/bin/env node
// `npm start`: installs what the product needs outside npm (espeak-ng for spoken prompts, pocketsphinx for
// spoken menu choices) when missing, builds, and runs the server on its embedded default. Without them
// the server still runs: callers hear tones where words should be, and menus take keys only; the log says why.
import { spawn, spawnSync } from "node:child_process";
import { ensureSystemPackages, RECOGNITION_PACKAGES, RUNTIME_PACKAGES } from "./system-packages.mjs";

if (!ensureSystemPackages(RUNTIME_PACKAGES)) {
  console.warn("Could not install espeak-ng: calls will hear tones instead of spoken prompts.");
}
if (!ensureSystemPackages(RECOGNITION_PACKAGES)) {
  console.warn("Could not install pocketsphinx: phone menus will take keys only, not spoken choices.");
}
const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const server = spawn(process.execPath, ["apps/server/dist/main.js"], { stdio: "inherit" });
// Whoever stops `npm start` stops the server, which shuts down cleanly.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
