import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { messageView, participantView, threadEventView, threadView } from "../views.js";

const ThreadParams = z.object({ threadId: wire.Id });
const MessageParams = ThreadParams.extend({ messageId: wire.Id });
const ParticipantParams = ThreadParams.extend({ identityId: wire.Id });
const tags = ["chat"];

/** Answers with JSON already written: Fastify sends text typed as JSON as it is, without serializing it. */
const sendJsonText = (reply: FastifyReply, status: number, json: string): FastifyReply =>
  reply.code(status).type("application/json; charset=utf-8").send(json);

/** Chat threads, participants, messages, read receipts and typing. */
export const chatRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = ctx.chat;
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));

    app.post(
      "/v1/chat/threads",
      {
        schema: {
          tags,
          summary: "Create a thread (the calling identity joins it)",
          body: wire.CreateThreadRequest,
          response: { 201: wire.Thread },
        },
      },
      async (request, reply) => {
        const thread = await core.createThread(deps, principalOf(request), request.body);
        return reply.code(201).send(threadView(thread));
      },
    );

    app.get(
      "/v1/chat/threads",
      {
        schema: {
          tags,
          summary: "List threads: the caller's, or all of the tenant's for an admin",
          querystring: wire.PageQuery,
          response: { 200: wire.ThreadPage },
        },
      },
      async (request) => {
        const page = await core.listThreads(deps, principalOf(request), {
          limit: request.query.limit,
          ...(request.query.after ? { after: request.query.after } : {}),
        });
        return { items: page.items.map(threadView), next: page.next };
      },
    );

    app.get(
      "/v1/chat/threads/:threadId",
      { schema: { tags, summary: "Get a thread", params: ThreadParams, response: { 200: wire.Thread } } },
      async (request) => threadView(await core.getThread(deps, principalOf(request), request.params.threadId)),
    );

    app.patch(
      "/v1/chat/threads/:threadId",
      {
        schema: {
          tags,
          summary: "Change a thread's topic or metadata",
          params: ThreadParams,
          body: wire.UpdateThreadRequest,
          response: { 200: wire.Thread },
        },
      },
      async (request) => threadView(await core.updateThread(deps, principalOf(request), request.params.threadId, request.body)),
    );

    app.get(
      "/v1/chat/threads/:threadId/participants",
      {
        schema: {
          tags,
          summary: "List a thread's participants",
          params: ThreadParams,
          response: { 200: z.object({ items: z.array(wire.Participant) }) },
        },
      },
      async (request) => ({
        items: (await core.listParticipants(deps, principalOf(request), request.params.threadId)).map(participantView),
      }),
    );

    app.post(
      "/v1/chat/threads/:threadId/participants",
      {
        schema: { tags, summary: "Add participants to a thread", params: ThreadParams, body: wire.AddParticipantsRequest },
      },
      async (request, reply) => {
        await core.addParticipants(deps, principalOf(request), request.params.threadId, request.body.participants);
        return reply.code(204).send();
      },
    );

    app.delete(
      "/v1/chat/threads/:threadId/participants/:identityId",
      { schema: { tags, summary: "Remove a participant (or leave)", params: ParticipantParams } },
      async (request, reply) => {
        await core.removeParticipant(deps, principalOf(request), request.params.threadId, request.params.identityId);
        return reply.code(204).send();
      },
    );

    app.post(
      "/v1/chat/threads/:threadId/messages",
      {
        schema: {
          tags,
          summary: "Send a message as the calling participant (idempotent with `idempotencyKey`)",
          params: ThreadParams,
          body: wire.SendMessageRequest,
          response: { 201: wire.Message },
        },
      },
      async (request, reply) => {
        const result = await core.sendMessage(deps, principalOf(request), request.params.threadId, request.body);
        if (result.kind === "duplicate") reply.header("idempotent-replayed", "true");
        // The hot path of chat: the view is exactly the wire schema's (views.test.ts holds it to that, byte for byte),
        // so it is written as JSON text and skips the response serializer's second check of every field.
        return sendJsonText(reply, 201, JSON.stringify(messageView(result.message)));
      },
    );

    app.get(
      "/v1/chat/threads/:threadId/messages",
      {
        schema: {
          tags,
          summary: "Page through messages by sequence",
          params: ThreadParams,
          querystring: wire.SequenceQuery,
          response: { 200: wire.MessagePage },
        },
      },
      async (request) => {
        const page = await core.listMessages(deps, principalOf(request), request.params.threadId, request.query);
        return { items: page.items.map(messageView), next: page.next };
      },
    );

    app.get(
      "/v1/chat/threads/:threadId/messages/:messageId",
      { schema: { tags, summary: "Get a message", params: MessageParams, response: { 200: wire.Message } } },
      async (request) =>
        messageView(await core.getMessage(deps, principalOf(request), request.params.threadId, request.params.messageId)),
    );

    app.patch(
      "/v1/chat/threads/:threadId/messages/:messageId",
      {
        schema: {
          tags,
          summary: "Edit a message (its sender only)",
          params: MessageParams,
          body: wire.EditMessageRequest,
          response: { 200: wire.Message },
        },
      },
      async (request) =>
        messageView(
          await core.editMessage(deps, principalOf(request), request.params.threadId, request.params.messageId, request.body),
        ),
    );

    app.delete(
      "/v1/chat/threads/:threadId/messages/:messageId",
      { schema: { tags, summary: "Delete a message (its sender only)", params: MessageParams } },
      async (request, reply) => {
        await core.deleteMessage(deps, principalOf(request), request.params.threadId, request.params.messageId);
        return reply.code(204).send();
      },
    );

    app.post(
      "/v1/chat/threads/:threadId/read",
      {
        schema: { tags, summary: "Mark the thread read up to a sequence", params: ThreadParams, body: wire.ReadRequest },
      },
      async (request, reply) => {
        await core.markRead(deps, principalOf(request), request.params.threadId, request.body.sequence);
        return reply.code(204).send();
      },
    );

    app.post(
      "/v1/chat/threads/:threadId/typing",
      { schema: { tags, summary: "Tell the other participants you are typing", params: ThreadParams } },
      async (request, reply) => {
        await core.sendTyping(deps, principalOf(request), request.params.threadId);
        return reply.code(204).send();
      },
    );

    app.get(
      "/v1/chat/threads/:threadId/events",
      {
        schema: {
          tags,
          summary: "Page through the thread's stored events by sequence (what a client missed)",
          params: ThreadParams,
          querystring: wire.SequenceQuery,
          response: { 200: wire.ThreadEventPage },
        },
      },
      async (request) => {
        const page = await core.listThreadEvents(deps, principalOf(request), request.params.threadId, request.query);
        return { items: page.items.map(threadEventView), next: page.next };
      },
    );
  };
