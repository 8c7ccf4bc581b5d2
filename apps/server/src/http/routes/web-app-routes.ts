import { access, readFile } from "node:fs/promises";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";

/**
 * A single-page web app built into `distDir`, registered under a prefix (`{ prefix: "/admin" }`): its files
 * as they are (hashed assets cached for a year), and index.html for every other path under the prefix so
 * the app's own router decides; a missing asset is a 404, not the page.
 */
export const webAppRoutes =
  (distDir: string): FastifyPluginAsync =>
  async (app) => {
    const prefix = `${app.prefix}/`;
    const index = path.join(distDir, "index.html");
    const built = await access(index).then(
      () => true,
      () => false,
    );
    if (!built) {
      app.get("/*", { schema: { hide: true } }, async (_request, reply) =>
        reply
          .code(503)
          .type("text/plain; charset=utf-8")
          .send(`This app is not built yet: run \`npm run build\` (missing ${index}).`),
      );
      return;
    }
    const assets = `${prefix}assets/`;
    await app.register(fastifyStatic, {
      root: distDir,
      index: false,
      cacheControl: false,
      setHeaders: (response, file) => {
        const immutable = file.startsWith(path.join(distDir, "assets"));
        response.setHeader("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
    const page = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .header("cache-control", "no-cache")
        .type("text/html; charset=utf-8")
        .send(await readFile(index));
    app.get("/", { schema: { hide: true } }, page);
    app.setNotFoundHandler(async (request, reply) => {
      const url = request.url.split("?")[0] ?? "";
      if (request.method !== "GET" || !url.startsWith(prefix) || url.startsWith(assets)) {
        return reply
          .code(404)
          .type("application/problem+json")
          .send(
            JSON.stringify({
              type: "https://switchboard.dev/problems/route.not_found",
              title: "Not found",
              status: 404,
              code: "route.not_found",
              detail: `No route ${request.method} ${url}.`,
            }),
          );
      }
      return page(request, reply);
    });
  };
