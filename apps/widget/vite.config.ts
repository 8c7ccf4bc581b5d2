import { defaultClientConditions, defineConfig } from "vite";

// One self-contained, minified IIFE: dist/widget.js. The stylesheet is inlined as a string (`?inline`)
// and injected into the widget's shadow root, so there is no CSS file to serve. Our packages are built
// from their TypeScript sources (the `source` export condition), so no `tsc -b` is needed first.
export default defineConfig({
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: {
    lib: {
      entry: "src/main.ts",
      formats: ["iife"],
      name: "SwitchboardWidget",
      fileName: () => "widget.js",
    },
    outDir: "dist",
    // tsc -b keeps its declarations and build info in dist/types.
    emptyOutDir: false,
    target: "es2022",
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
  },
});
