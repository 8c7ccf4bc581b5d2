import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { botSettingsView, faqView } from "../views.js";

const IdParams = z.object({ id: wire.Id });
const tags = ["knowledge"];

/** The bot's knowledge base (questions and answers) and its settings (intents, synonyms, thresholds). */
export const knowledgeRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = ctx.knowledge;
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));

    app.get(
      "/v1/knowledge/faqs",
      { schema: { tags, summary: "List the knowledge base", response: { 200: z.object({ items: z.array(wire.FaqEntry) }) } } },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return { items: (await deps.knowledge.listFaqs(tenantId)).map(faqView) };
      },
    );

    app.post(
      "/v1/knowledge/faqs",
      { schema: { tags, summary: "Add a question and its answer", body: wire.FaqInput, response: { 201: wire.FaqEntry } } },
      async (request, reply) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return reply.code(201).send(faqView(await core.createFaq(deps, tenantId, request.body)));
      },
    );

    app.put(
      "/v1/knowledge/faqs/:id",
      {
        schema: {
          tags,
          summary: "Change a question and its answer",
          params: IdParams,
          body: wire.FaqInput,
          response: { 200: wire.FaqEntry },
        },
      },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return faqView(await core.updateFaq(deps, tenantId, request.params.id, request.body));
      },
    );

    app.delete(
      "/v1/knowledge/faqs/:id",
      { schema: { tags, summary: "Remove a question", params: IdParams } },
      async (request, reply) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        await core.deleteFaq(deps, tenantId, request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      "/v1/knowledge/bot-settings",
      { schema: { tags, summary: "The bot's intents, synonyms and thresholds", response: { 200: wire.BotSettings } } },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return botSettingsView((await deps.knowledge.getBotSettings(tenantId)) ?? ctx.defaultBotSettings);
      },
    );

    app.put(
      "/v1/knowledge/bot-settings",
      { schema: { tags, summary: "Replace the bot's settings", body: wire.BotSettings, response: { 200: wire.BotSettings } } },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        await core.saveBotSettings(deps, tenantId, request.body);
        return request.body;
      },
    );
  };
