import { readFile } from "node:fs/promises";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { RouteContext } from "../context.js";
import { conversationView } from "../views.js";

export interface WidgetAssets {
  /** The built widget bundle (apps/widget/dist/widget.js). */
  readonly bundle: string;
  /** The demo site's directory (apps/widget/demo). */
  readonly demoDir: string;
  /** The entry point the demo page embeds, when there is one. */
  readonly demoEntryPointId: () => Promise<string | undefined>;
}

/**
 * The customer-facing side: the widget's session call (public: the entry point and the page's
 * origin decide), the widget bundle, and the demo site.
 */
export const widgetRoutes =
  (ctx: RouteContext, assets: WidgetAssets): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = ctx.conversation;

    app.post(
      "/v1/widget/sessions",
      {
        schema: {
          tags: ["widget"],
          summary: "Start or resume a widget visitor's conversation (no credential; the page's Origin must be allowed)",
          security: [],
          body: wire.WidgetSessionRequest,
          response: { 200: wire.WidgetSession, 201: wire.WidgetSession },
        },
      },
      async (request, reply) => {
        const session = await core.startWidgetSession(deps, {
          entryPointId: request.body.entryPointId,
          origin: request.headers.origin,
          ...(request.body.sessionSecret ? { sessionSecret: request.body.sessionSecret } : {}),
          ...(request.body.newConversation ? { newConversation: true } : {}),
        });
        const { entryPoint, conversation } = session;
        return reply.code(session.resumed ? 200 : 201).send({
          identityId: session.identityId,
          token: session.token,
          expiresAt: session.expiresAt.toISOString(),
          sessionSecret: session.sessionSecret,
          resumed: session.resumed,
          conversation: conversationView(conversation, await core.queuePosition(deps, conversation)),
          entryPoint: {
            id: entryPoint.id,
            name: entryPoint.name,
            greeting: entryPoint.greeting,
            open: session.open,
            afterHoursMessage: entryPoint.afterHoursMessage,
          },
          limits: {
            attachmentMaxBytes: ctx.attachments.attachmentMaxBytes,
            attachmentTypes: Object.keys(core.ATTACHMENT_SIGNATURES),
            messageMaxLength: core.CHAT_LIMITS.contentMaxLength,
          },
        });
      },
    );

    app.get("/widget.js", { schema: { hide: true } }, async (_request, reply) => {
      const bundle = await readFile(assets.bundle, "utf8").catch(() => undefined);
      if (bundle === undefined) {
        throw new core.DomainError("widget.not_built", "unavailable", "The widget is not built: run `npm run build`.");
      }
      return reply
        .type("application/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=300")
        .header("access-control-allow-origin", "*")
        .send(bundle);
    });

    const demoPage = async (_request: FastifyRequest, reply: FastifyReply) => {
      const html = await readFile(path.join(assets.demoDir, "index.html"), "utf8");
      const entryPointId = (await assets.demoEntryPointId()) ?? "";
      return reply.type("text/html; charset=utf-8").send(html.replaceAll("{{ENTRY_POINT_ID}}", entryPointId));
    };
    app.get("/demo", { schema: { hide: true } }, demoPage);
    app.get("/demo/", { schema: { hide: true } }, demoPage);
    // The demo site's other files (its stylesheet); index.html only through the page above.
    await app.register(fastifyStatic, {
      root: assets.demoDir,
      prefix: "/demo/",
      index: false,
      decorateReply: false,
      allowedPath: (pathName) => !pathName.endsWith("index.html"),
    });
  };
