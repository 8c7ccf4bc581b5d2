import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layering of shared/DESIGN.md, checked on every source file: who may import whom. Biome's
 * noRestrictedImports says the same per folder; this test is the one that cannot be switched off.
 */
const root = path.resolve(import.meta.dirname, "..");

interface Rule {
  /** Folder (from the repository root) whose sources the rule covers. */
  readonly folder: string;
  /** Packages of ours it may import. */
  readonly mayImport: readonly string[];
  /** Whether it may import node:* modules and third-party packages at all. */
  readonly node: boolean;
  readonly thirdParty: readonly string[] | "any";
}

const RULES: readonly Rule[] = [
  { folder: "packages/core/src", mayImport: [], node: false, thirdParty: [] },
  { folder: "packages/protocol/src", mayImport: [], node: false, thirdParty: ["zod"] },
  { folder: "packages/sdk/src", mayImport: ["@switchboard/protocol"], node: false, thirdParty: [] },
  { folder: "apps/widget/src", mayImport: ["@switchboard/sdk", "@switchboard/protocol"], node: false, thirdParty: [] },
  {
    folder: "apps/web/src",
    mayImport: ["@switchboard/sdk", "@switchboard/protocol"],
    node: false,
    thirdParty: ["react", "react-dom", "wouter"],
  },
  { folder: "packages/store/src", mayImport: ["@switchboard/core", "@switchboard/protocol"], node: true, thirdParty: "any" },
  { folder: "packages/bot/src", mayImport: ["@switchboard/core"], node: false, thirdParty: [] },
  { folder: "packages/telephony/src", mayImport: ["@switchboard/core"], node: true, thirdParty: "any" },
  { folder: "packages/speech/src", mayImport: ["@switchboard/core"], node: true, thirdParty: "any" },
  {
    folder: "apps/server/src",
    mayImport: [
      "@switchboard/core",
      "@switchboard/protocol",
      "@switchboard/store",
      "@switchboard/bot",
      "@switchboard/speech",
      "@switchboard/telephony",
    ],
    node: true,
    thirdParty: "any",
  },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !/\.(int\.)?test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

/** The subpaths (`./resume-points`) a package of ours exports besides its main entry point. */
function exportedSubpaths(name: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")) as {
    exports?: Record<string, unknown>;
  };
  return Object.keys(manifest.exports ?? {}).filter((key) => key !== ".");
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? "");
}

function violations(rule: Rule, file: string, specifiers: readonly string[]): string[] {
  const out: string[] = [];
  for (const spec of specifiers) {
    if (spec.startsWith(".")) {
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(path.join(root, rule.folder.split("/").slice(0, 2).join("/")))) {
        out.push(`${spec} (reaches into another package; import its entry point)`);
      }
    } else if (spec.startsWith("node:")) {
      if (!rule.node) out.push(`${spec} (no node:* modules here)`);
    } else if (spec.startsWith("@switchboard/")) {
      const name = spec.split("/").slice(0, 2).join("/");
      if (!rule.mayImport.includes(name)) out.push(`${spec} (not allowed from ${rule.folder})`);
      else if (spec !== name && !exportedSubpaths(name).includes(`.${spec.slice(name.length)}`)) {
        out.push(`${spec} (import packages through their entry points)`);
      }
    } else if (rule.thirdParty !== "any") {
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] ?? spec);
      if (!rule.thirdParty.includes(name)) out.push(`${spec} (third-party package not allowed in ${rule.folder})`);
    }
  }
  return out;
}

describe("import rules between packages", () => {
  for (const rule of RULES) {
    it(`${rule.folder} imports only what it may`, () => {
      const files = sourceFiles(path.join(root, rule.folder));
      expect(files.length).toBeGreaterThan(0);
      const found = files.flatMap((file) =>
        violations(rule, file, importsOf(readFileSync(file, "utf8"))).map((v) => `${path.relative(root, file)}: ${v}`),
      );
      expect(found).toEqual([]);
    });
  }

  it("catches the imports it forbids (the checker itself works)", () => {
    const core = RULES[0] as Rule;
    const file = path.join(root, "packages/core/src/chat/x.ts");
    expect(violations(core, file, importsOf('import { readFile } from "node:fs";'))).toHaveLength(1);
    expect(violations(core, file, importsOf('import type { Kysely } from "kysely";'))).toHaveLength(1);
    expect(violations(core, file, importsOf('export * from "@switchboard/store";'))).toHaveLength(1);
    expect(violations(core, file, importsOf('import { x } from "../../../store/src/index.js";'))).toHaveLength(1);
    expect(violations(core, file, importsOf('import { x } from "../identity/model.js";'))).toEqual([]);
    const sdk = RULES[2] as Rule;
    const sdkFile = path.join(root, "packages/sdk/src/x.ts");
    expect(violations(sdk, sdkFile, importsOf('import { f } from "@switchboard/protocol/resume-points";'))).toEqual([]);
    expect(violations(sdk, sdkFile, importsOf('import { f } from "@switchboard/protocol/src/chat.js";'))).toHaveLength(1);
  });
});
