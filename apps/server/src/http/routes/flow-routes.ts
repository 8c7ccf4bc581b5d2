import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { sendRecording } from "../recording-download.js";
import { autoAttendantView, mailboxView, voicemailMessageView } from "../views.js";

const IdParams = z.object({ id: wire.Id });
const attendantTags = ["auto attendants"];
const voicemailTags = ["voicemail"];

/**
 * Call flows' configuration: auto attendants (admins; each change published as a new version, the earlier
 * ones kept for calls in progress), mailboxes (admins) and voicemail messages (admins, and the owner of a
 * personal mailbox). A mailbox PIN goes in and never comes out.
 */
export const flowRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = ctx.flows;
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));

    app.get(
      "/v1/auto-attendants",
      {
        schema: {
          tags: attendantTags,
          summary: "List the tenant's auto attendants by name, each at its current version",
          response: { 200: z.object({ items: z.array(wire.AutoAttendant) }) },
        },
      },
      async (request) => ({ items: (await core.listAutoAttendants(deps, principalOf(request))).map(autoAttendantView) }),
    );

    app.post(
      "/v1/auto-attendants",
      {
        schema: {
          tags: attendantTags,
          summary: "Create an auto attendant, validated and published as version 1",
          body: wire.AutoAttendantInput,
          response: { 201: wire.AutoAttendant },
        },
      },
      async (request, reply) =>
        reply.code(201).send(autoAttendantView(await core.createAutoAttendant(deps, principalOf(request), request.body))),
    );

    app.get(
      "/v1/auto-attendants/:id",
      {
        schema: {
          tags: attendantTags,
          summary: "Get an auto attendant's current version",
          params: IdParams,
          response: { 200: wire.AutoAttendant },
        },
      },
      async (request) => autoAttendantView(await core.getAutoAttendant(deps, principalOf(request), request.params.id)),
    );

    app.put(
      "/v1/auto-attendants/:id",
      {
        schema: {
          tags: attendantTags,
          summary:
            "Publish a change: the whole configuration, validated, becomes the next version (calls in progress keep theirs); with `expectedVersion`, 409 if another change was published since",
          params: IdParams,
          body: wire.AutoAttendantPublish,
          response: { 200: wire.AutoAttendant },
        },
      },
      async (request) => {
        const { expectedVersion, ...settings } = request.body;
        const published = await core.updateAutoAttendant(deps, principalOf(request), request.params.id, settings, {
          ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        });
        return autoAttendantView(published);
      },
    );

    app.delete(
      "/v1/auto-attendants/:id",
      {
        schema: {
          tags: attendantTags,
          summary:
            "Delete an auto attendant with its versions (409 `auto_attendant.in_use` while a number, attendant or queue sends calls to it)",
          params: IdParams,
        },
      },
      async (request, reply) => {
        await core.deleteAutoAttendant(deps, principalOf(request), request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      "/v1/auto-attendants/:id/versions/:version",
      {
        schema: {
          tags: attendantTags,
          summary: "Get a published version of an auto attendant",
          params: wire.AutoAttendantVersionParams,
          response: { 200: wire.AutoAttendant },
        },
      },
      async (request) =>
        autoAttendantView(
          await core.getAutoAttendantVersion(deps, principalOf(request), request.params.id, request.params.version),
        ),
    );

    app.get(
      "/v1/mailboxes",
      {
        schema: {
          tags: voicemailTags,
          summary: "List mailboxes by name: all of them for admins, one's own personal mailbox for anyone else",
          response: { 200: z.object({ items: z.array(wire.Mailbox) }) },
        },
      },
      async (request) => ({ items: (await core.listMailboxes(deps, principalOf(request))).map(mailboxView) }),
    );

    app.post(
      "/v1/mailboxes",
      {
        schema: {
          tags: voicemailTags,
          summary: "Create a shared mailbox, or a user's personal one (one each)",
          body: wire.MailboxInput,
          response: { 201: wire.Mailbox },
        },
      },
      async (request, reply) =>
        reply.code(201).send(mailboxView(await core.createMailbox(deps, principalOf(request), request.body))),
    );

    app.get(
      "/v1/mailboxes/:id",
      {
        schema: {
          tags: voicemailTags,
          summary: "Get a mailbox (admins, and the owner of a personal mailbox)",
          params: IdParams,
          response: { 200: wire.Mailbox },
        },
      },
      async (request) => mailboxView(await core.getMailbox(deps, principalOf(request), request.params.id)),
    );

    app.patch(
      "/v1/mailboxes/:id",
      {
        schema: {
          tags: voicemailTags,
          summary: "Change a mailbox; `pin: null` removes the PIN",
          params: IdParams,
          body: wire.MailboxPatch,
          response: { 200: wire.Mailbox },
        },
      },
      async (request) => mailboxView(await core.updateMailbox(deps, principalOf(request), request.params.id, request.body)),
    );

    app.delete(
      "/v1/mailboxes/:id",
      {
        schema: {
          tags: voicemailTags,
          summary:
            "Delete a mailbox with its messages (409 `mailbox.in_use` while a number, attendant or queue sends calls to it)",
          params: IdParams,
        },
      },
      async (request, reply) => {
        await core.deleteMailbox(deps, principalOf(request), request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      "/v1/mailboxes/:id/messages",
      {
        schema: {
          tags: voicemailTags,
          summary: "A mailbox's messages, oldest first (admins, and the owner of a personal mailbox)",
          params: IdParams,
          response: { 200: z.object({ items: z.array(wire.VoicemailMessage) }) },
        },
      },
      async (request) => ({
        items: (await core.listVoicemailMessages(deps, principalOf(request), request.params.id)).map(voicemailMessageView),
      }),
    );

    app.get(
      "/v1/voicemail-messages/:id",
      {
        schema: {
          tags: voicemailTags,
          summary: "Get a voicemail message",
          params: IdParams,
          response: { 200: wire.VoicemailMessage },
        },
      },
      async (request) => voicemailMessageView(await core.getVoicemailMessage(deps, principalOf(request), request.params.id)),
    );

    app.patch(
      "/v1/voicemail-messages/:id",
      {
        schema: {
          tags: voicemailTags,
          summary: "Mark a voicemail message heard, or new again",
          params: IdParams,
          body: wire.VoicemailMessagePatch,
          response: { 200: wire.VoicemailMessage },
        },
      },
      async (request) =>
        voicemailMessageView(await core.markVoicemailMessage(deps, principalOf(request), request.params.id, request.body)),
    );

    app.delete(
      "/v1/voicemail-messages/:id",
      { schema: { tags: voicemailTags, summary: "Delete a voicemail message", params: IdParams } },
      async (request, reply) => {
        await core.deleteVoicemailMessage(deps, principalOf(request), request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      "/v1/voicemail-messages/:id/audio",
      {
        schema: {
          tags: voicemailTags,
          summary: "Download a voicemail message's audio, as WAV (8 kHz, 16-bit)",
          params: IdParams,
        },
      },
      async (request, reply) => {
        const message = await core.getVoicemailMessage(deps, principalOf(request), request.params.id);
        return sendRecording(reply, ctx.recordings, message.tenantId, message.recordingId);
      },
    );
  };
