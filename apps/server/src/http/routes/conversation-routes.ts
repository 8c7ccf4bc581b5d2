import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import { baseUrlOf } from "../base-url.js";
import type { RouteContext } from "../context.js";
import { conversationEventView, conversationView, entryPointView } from "../views.js";

const IdParams = z.object({ id: wire.Id });

/** Entry points (admin) and conversations (admins see all, customers their own). */
export const conversationRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = ctx.conversation;
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));
    const view = async (c: core.Conversation) => conversationView(c, await core.queuePosition(deps, c));

    app.get(
      "/v1/entry-points",
      {
        schema: {
          tags: ["entry points"],
          summary: "List entry points",
          response: { 200: z.object({ items: z.array(wire.EntryPoint) }) },
        },
      },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        const items = await deps.entryPoints.listEntryPoints(tenantId);
        return { items: items.map((e) => entryPointView(e, baseUrlOf(request))) };
      },
    );

    app.post(
      "/v1/entry-points",
      {
        schema: {
          tags: ["entry points"],
          summary: "Create an entry point (a widget, an app) with its bot, greeting, hours and queue",
          body: wire.EntryPointInput,
          response: { 201: wire.EntryPoint },
        },
      },
      async (request, reply) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        const created = await core.createEntryPoint(deps, tenantId, request.body);
        return reply.code(201).send(entryPointView(created, baseUrlOf(request)));
      },
    );

    app.get(
      "/v1/entry-points/:id",
      { schema: { tags: ["entry points"], summary: "Get an entry point", params: IdParams, response: { 200: wire.EntryPoint } } },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return entryPointView(await core.getEntryPoint(deps, tenantId, request.params.id), baseUrlOf(request));
      },
    );

    app.patch(
      "/v1/entry-points/:id",
      {
        schema: {
          tags: ["entry points"],
          summary: "Change an entry point",
          params: IdParams,
          body: wire.EntryPointPatch,
          response: { 200: wire.EntryPoint },
        },
      },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return entryPointView(await core.updateEntryPoint(deps, tenantId, request.params.id, request.body), baseUrlOf(request));
      },
    );

    app.delete(
      "/v1/entry-points/:id",
      { schema: { tags: ["entry points"], summary: "Delete an entry point", params: IdParams } },
      async (request, reply) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        await core.deleteEntryPoint(deps, tenantId, request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      "/v1/conversations",
      {
        schema: {
          tags: ["conversations"],
          summary: "List conversations, newest first, filtered by status, entry point, customer or queue",
          querystring: wire.ConversationQuery,
          response: { 200: wire.ConversationPage },
        },
      },
      async (request) => {
        const { after, limit, ...filter } = request.query;
        const page = await core.listConversations(deps, principalOf(request), filter, { limit, ...(after ? { after } : {}) });
        return { items: await Promise.all(page.items.map(view)), next: page.next };
      },
    );

    app.get(
      "/v1/conversations/:id",
      {
        schema: {
          tags: ["conversations"],
          summary: "Get a conversation",
          params: IdParams,
          response: { 200: wire.Conversation },
        },
      },
      async (request) => view(await core.getConversation(deps, principalOf(request), request.params.id)),
    );

    app.get(
      "/v1/conversations/:id/timeline",
      {
        schema: {
          tags: ["conversations"],
          summary: "What happened in a conversation, in order (staff only)",
          params: IdParams,
          querystring: wire.SequenceQuery,
          response: { 200: z.object({ items: z.array(wire.ConversationEvent) }) },
        },
      },
      async (request) => ({
        items: (await core.conversationTimeline(deps, principalOf(request), request.params.id, request.query)).map(
          conversationEventView,
        ),
      }),
    );
  };
