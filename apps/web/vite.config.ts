import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig, type Plugin } from "vite";

// The server serves dist/ at /admin/ (index.html for every path below it). Asset URLs are absolute
// (/admin/assets/...), so the same index.html also works when served for /agent/* and /supervisor/*.
// `npm run dev -w @switchboard/web` proxies the API to a server on SWITCHBOARD_API (default :3000).
const api = process.env.SWITCHBOARD_API ?? "http://127.0.0.1:3000";

/** In development, the other audiences' paths get the same page, as the server does in production. */
const audiences: Plugin = {
  name: "switchboard-audiences",
  configureServer(server) {
    server.middlewares.use((req, _res, next) => {
      if (req.url && /^\/(agent|supervisor)(\/|\?|$)/.test(req.url)) req.url = "/admin/";
      next();
    });
  },
};

export default defineConfig({
  base: "/admin/",
  plugins: [react(), audiences],
  // Bundle our packages from their TypeScript sources: no dependency on their tsc output or its order.
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 400 },
  server: {
    proxy: {
      "/v1": { target: api, ws: true, changeOrigin: true },
      "/widget.js": { target: api, changeOrigin: true },
    },
  },
});
