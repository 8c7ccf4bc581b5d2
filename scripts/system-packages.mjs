// Debian packages Switchboard needs outside npm, installed when missing: by `npm start` (what the product
// needs at run time) and by `npm test` (that, plus what the tests drive).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const run = (command, args) => spawnSync(command, args, { stdio: "inherit" }).status === 0;

/** Text-to-speech for the prompts callers hear. */
export const RUNTIME_PACKAGES = [{ name: "espeak-ng", file: "/usr/bin/espeak-ng" }];

/**
 * Speech recognition for menus and directories (`PocketsphinxRecognizer`): the decoder and its US English
 * model (37 MB installed). `npm start` installs them when it can; without them the server's menus take
 * keys only. `npm run speech:accuracy` and the tests use them.
 */
export const RECOGNITION_PACKAGES = [
  { name: "pocketsphinx", file: "/usr/bin/pocketsphinx_batch" },
  { name: "pocketsphinx-en-us", file: "/usr/share/pocketsphinx/model/en-us/en-us/mdef" },
];

/** Debian's Chromium for the browser tests, sipp for the telephony tests, flite as a second voice for the recognition tests. */
export const TEST_PACKAGES = [
  ...RUNTIME_PACKAGES,
  ...RECOGNITION_PACKAGES,
  { name: "flite", file: "/usr/bin/flite" },
  { name: "chromium", file: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  { name: "sip-tester", file: "/usr/bin/sipp" },
];

/** Installs the packages whose file is missing; true when all are there afterwards. */
export function ensureSystemPackages(packages) {
  const missing = packages.filter((p) => !existsSync(p.file)).map((p) => p.name);
  if (missing.length === 0) return true;
  console.log(`installing ${missing.join(", ")} from Debian's packages`);
  process.env.DEBIAN_FRONTEND = "noninteractive";
  const aptGet = (...args) => (process.getuid?.() === 0 ? run("apt-get", args) : run("sudo", ["apt-get", ...args]));
  const install = () => aptGet("install", "-y", ...missing);
  return install() || (aptGet("update") && install());
}
