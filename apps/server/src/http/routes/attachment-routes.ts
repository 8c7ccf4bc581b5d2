import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { attachmentView } from "../views.js";

/** Uploads (the raw file as the body, its type as Content-Type) and downloads of attachments. */
export const attachmentRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = ctx.attachments;
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));
    // Any content type arrives as bytes here; the core decides what is accepted, with a clear code.
    app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: deps.attachmentMaxBytes + 1 }, (_request, body, done) =>
      done(null, body),
    );
    app.removeContentTypeParser(["application/json", "text/plain"]);
    app.addContentTypeParser(["application/json", "text/plain"], { parseAs: "buffer" }, (_request, body, done) =>
      done(null, body),
    );

    app.post(
      "/v1/chat/threads/:threadId/attachments",
      {
        bodyLimit: deps.attachmentMaxBytes + 1,
        schema: {
          tags: ["chat"],
          summary: "Upload a file (image or PDF) to attach to a message: the raw file as the body",
          params: z.object({ threadId: wire.Id }),
          querystring: z.object({ fileName: z.string().max(255).default("file") }),
          response: { 201: wire.Attachment },
        },
      },
      async (request, reply) => {
        const bytes = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : new Uint8Array();
        const attachment = await core.uploadAttachment(deps, principalOf(request), request.params.threadId, {
          fileName: request.query.fileName,
          contentType: request.headers["content-type"] ?? "",
          bytes,
        });
        return reply.code(201).send(attachmentView(attachment));
      },
    );

    app.get(
      "/v1/attachments/:id",
      {
        schema: {
          tags: ["chat"],
          summary: "Download an attachment (participants and admins; `?token=` works for <img src>)",
          params: z.object({ id: wire.Id }),
        },
      },
      async (request, reply) => {
        const { attachment, bytes } = await core.readAttachment(deps, principalOf(request), request.params.id);
        const disposition = attachment.contentType.startsWith("image/") ? "inline" : "attachment";
        return reply
          .type(attachment.contentType)
          .header("content-disposition", `${disposition}; filename="${attachment.fileName}"`)
          .header("x-content-type-options", "nosniff")
          .header("cache-control", "private, max-age=3600")
          .send(Buffer.from(bytes));
      },
    );
  };
