import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { liveView } from "../../routing/live-view.js";
import type { OfferView, WorkerView } from "../../routing/routing.js";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { conversationView, queueView } from "../views.js";

const IdParams = z.object({ id: wire.Id });

/** The acting agent: a signed-in user's identity (agents, supervisors and admins all take work). */
function agentOf(principal: core.Principal): { tenantId: string; identityId: string } {
  const actor = core.requireScope(principal, "chat");
  if (actor.kind !== "identity" || actor.userId === undefined) {
    throw new core.DomainError(
      "agent.user_required",
      "forbidden",
      "Sign in as a user (agent, supervisor or admin) to take work.",
    );
  }
  return { tenantId: actor.tenantId, identityId: actor.identityId };
}

export const workerView = (w: WorkerView): wire.Worker => ({
  id: w.record.identityId,
  userId: w.record.userId,
  name: w.name,
  settings: {
    capacity: w.record.settings.capacity,
    channelCosts: { ...w.record.settings.channelCosts },
    skills: { ...w.record.settings.skills },
    queueIds: [...w.record.settings.queueIds],
    optedOut: [...w.record.settings.optedOut],
  },
  presence: w.presence,
  presenceSince: w.presenceSince.toISOString(),
  load: w.load,
});

/** Queues (admin), workers, the agent's own state and offers, transfers and resolutions, the live view. */
export const routingRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const routing = ctx.routing;
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));

    const offerView = async (tenantId: string, offer: OfferView): Promise<wire.Offer> => {
      const view = await routing.offerWire(tenantId, offer, true);
      if (!view) throw core.notFound("conversation", offer.subject);
      return view;
    };

    app.get(
      "/v1/queues",
      {
        schema: {
          tags: ["routing"],
          summary: "List queues (for a user of an agent organization, those assigned to it)",
          response: { 200: z.object({ items: z.array(wire.Queue) }) },
        },
      },
      async (request) => ({ items: (await core.listVisibleQueues(ctx.queues, principalOf(request))).map(queueView) }),
    );

    app.post(
      "/v1/queues",
      { schema: { tags: ["routing"], summary: "Create a queue", body: wire.QueueInput, response: { 201: wire.Queue } } },
      async (request, reply) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return reply.code(201).send(queueView(await core.createQueue(ctx.queues, tenantId, request.body)));
      },
    );

    app.get(
      "/v1/queues/:id",
      {
        schema: {
          tags: ["routing"],
          summary: "Get a queue (404 for a user of an agent organization when not assigned to it)",
          params: IdParams,
          response: { 200: wire.Queue },
        },
      },
      async (request) => queueView(await core.getVisibleQueue(ctx.queues, principalOf(request), request.params.id)),
    );

    app.patch(
      "/v1/queues/:id",
      {
        schema: {
          tags: ["routing"],
          summary: "Change a queue",
          params: IdParams,
          body: wire.QueuePatch,
          response: { 200: wire.Queue },
        },
      },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return queueView(await core.updateQueue(ctx.queues, tenantId, request.params.id, request.body));
      },
    );

    app.delete(
      "/v1/queues/:id",
      { schema: { tags: ["routing"], summary: "Delete a queue", params: IdParams } },
      async (request, reply) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        await core.deleteQueue(ctx.queues, tenantId, request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      "/v1/workers",
      {
        schema: {
          tags: ["routing"],
          summary: "The tenant's agents as workers (for a user of an agent organization, its own)",
          response: { 200: z.object({ items: z.array(wire.Worker) }) },
        },
      },
      async (request) => ({ items: (await routing.workers(principalOf(request))).map(workerView) }),
    );

    app.put(
      "/v1/workers/:id",
      {
        schema: {
          tags: ["routing"],
          summary:
            "Set an agent's capacity, skills and queues (by the agent's identity id); an agent of an organization only its queues (400 worker.queue_not_assigned)",
          params: IdParams,
          body: wire.WorkerSettings,
          response: { 200: wire.Worker },
        },
      },
      async (request) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return workerView(await routing.updateWorker(tenantId, request.params.id, request.body));
      },
    );

    app.get(
      "/v1/agent/me",
      {
        schema: {
          tags: ["agent"],
          summary: "The signed-in agent's state: presence, offers, conversations",
          response: { 200: wire.AgentState },
        },
      },
      async (request) => {
        const { tenantId, identityId } = agentOf(principalOf(request));
        const worker = await routing.worker(tenantId, identityId);
        const offers = await Promise.all(routing.offersFor(tenantId, identityId).map((o) => offerView(tenantId, o)));
        const assigned = await ctx.conversation.conversations.listConversations(
          tenantId,
          { agentId: identityId, status: "with_agent" },
          { limit: 200 },
        );
        const queues = await core.listVisibleQueues(ctx.queues, principalOf(request));
        return {
          worker: workerView(worker),
          offers,
          conversations: assigned.items.map((c) => conversationView(c, null)),
          queues: queues.map((q) => ({ id: q.id, name: q.name, wrapUpCodes: [...q.wrapUpCodes] })),
        };
      },
    );

    app.put(
      "/v1/agent/presence",
      { schema: { tags: ["agent"], summary: "Set the signed-in agent's presence", body: wire.PresenceRequest } },
      async (request, reply) => {
        const { tenantId, identityId } = agentOf(principalOf(request));
        await routing.setPresence(tenantId, identityId, request.body.presence);
        return reply.code(204).send();
      },
    );

    app.post(
      "/v1/offers/:id/accept",
      {
        schema: {
          tags: ["agent"],
          summary: "Accept an offer: the conversation is yours",
          params: IdParams,
          response: { 200: wire.Conversation },
        },
      },
      async (request) => {
        const { tenantId, identityId } = agentOf(principalOf(request));
        return conversationView(await routing.accept(tenantId, request.params.id, identityId), null);
      },
    );

    app.post(
      "/v1/offers/:id/decline",
      { schema: { tags: ["agent"], summary: "Decline an offer: it goes to someone else", params: IdParams } },
      async (request, reply) => {
        const { tenantId, identityId } = agentOf(principalOf(request));
        await routing.decline(tenantId, request.params.id, identityId);
        return reply.code(204).send();
      },
    );

    app.post(
      "/v1/conversations/:id/transfer",
      {
        schema: {
          tags: ["conversations"],
          summary: "Send a conversation on to a queue or an agent, with a note",
          params: IdParams,
          body: wire.TransferRequest,
          response: { 200: wire.Conversation },
        },
      },
      async (request) => {
        const conversation = await routing.transfer(
          principalOf(request),
          request.params.id,
          request.body,
          request.body.note ?? null,
        );
        return conversationView(conversation, await core.queuePosition(ctx.conversation, conversation));
      },
    );

    app.post(
      "/v1/conversations/:id/resolve",
      {
        schema: {
          tags: ["conversations"],
          summary: "End a conversation (its customer, its agent with a wrap-up code, or an admin)",
          params: IdParams,
          body: wire.ResolveRequest.nullish(),
          response: { 200: wire.Conversation },
        },
      },
      async (request) =>
        conversationView(await routing.resolve(principalOf(request), request.params.id, request.body?.wrapUpCode), null),
    );

    app.get(
      "/v1/conversations/:id/routing",
      {
        schema: {
          tags: ["supervisor"],
          summary: "What routing did with a conversation and why (e.g. why no agent got it): supervisors and admins",
          params: IdParams,
          response: { 200: z.object({ items: z.array(wire.RoutingLogEntry) }) },
        },
      },
      async (request) => {
        const conversation = await core.superviseConversation(ctx.conversation, principalOf(request), request.params.id);
        const entries = await ctx.routingLog.listEventsAbout(conversation.tenantId, conversation.id, 500);
        return {
          items: entries.map((e) => {
            const { reason, ...data } = (e.data ?? {}) as Record<string, unknown>;
            return {
              position: e.position,
              type: e.type,
              at: e.at.toISOString(),
              reason: typeof reason === "string" ? reason : "",
              data,
            };
          }),
        };
      },
    );

    app.get(
      "/v1/supervisor/live",
      {
        schema: {
          tags: ["supervisor"],
          summary:
            "Queues and agents, now (for a supervisor of an agent organization, its queues and agents; others may ask for an organization's)",
          querystring: wire.SupervisorLiveQuery,
          response: { 200: wire.SupervisorLive },
        },
      },
      async (request) => liveView(await routing.live(principalOf(request), request.query)),
    );
  };
