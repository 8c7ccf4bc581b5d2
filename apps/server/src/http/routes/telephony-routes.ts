import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { phoneNumberView, sipAccountView, trunkView } from "../views.js";

const IdParams = z.object({ id: wire.Id });
const tags = ["telephony"];

/** The tenant's telephony configuration (admins): phone numbers, SIP trunks, agents' SIP accounts. Passwords go in, never come out. */
export const telephonyRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = ctx.telephony;
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));

    app.get(
      "/v1/phone-numbers",
      {
        schema: {
          tags,
          summary: "List the tenant's phone numbers",
          response: { 200: z.object({ items: z.array(wire.PhoneNumber) }) },
        },
      },
      async (request) => ({ items: (await core.listPhoneNumbers(deps, principalOf(request))).map(phoneNumberView) }),
    );

    app.post(
      "/v1/phone-numbers",
      {
        schema: {
          tags,
          summary: "Map a phone number (E.164) to the tenant and what answers it",
          body: wire.PhoneNumberInput,
          response: { 201: wire.PhoneNumber },
        },
      },
      async (request, reply) =>
        reply.code(201).send(phoneNumberView(await core.createPhoneNumber(deps, principalOf(request), request.body))),
    );

    app.get(
      "/v1/phone-numbers/:id",
      { schema: { tags, summary: "Get a phone number", params: IdParams, response: { 200: wire.PhoneNumber } } },
      async (request) => phoneNumberView(await core.getPhoneNumber(deps, principalOf(request), request.params.id)),
    );

    app.patch(
      "/v1/phone-numbers/:id",
      {
        schema: {
          tags,
          summary: "Change a phone number",
          params: IdParams,
          body: wire.PhoneNumberPatch,
          response: { 200: wire.PhoneNumber },
        },
      },
      async (request) =>
        phoneNumberView(await core.updatePhoneNumber(deps, principalOf(request), request.params.id, request.body)),
    );

    app.delete(
      "/v1/phone-numbers/:id",
      { schema: { tags, summary: "Release a phone number", params: IdParams } },
      async (request, reply) => {
        await core.deletePhoneNumber(deps, principalOf(request), request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      "/v1/trunks",
      { schema: { tags, summary: "List the tenant's SIP trunks", response: { 200: z.object({ items: z.array(wire.Trunk) }) } } },
      async (request) => ({ items: (await core.listTrunks(deps, principalOf(request))).map(trunkView) }),
    );

    app.post(
      "/v1/trunks",
      {
        schema: {
          tags,
          summary: "Add a SIP trunk: inbound by IP allow list and/or digest, outbound with credentials and a caller-id policy",
          body: wire.TrunkInput,
          response: { 201: wire.Trunk },
        },
      },
      async (request, reply) => reply.code(201).send(trunkView(await core.createTrunk(deps, principalOf(request), request.body))),
    );

    app.get(
      "/v1/trunks/:id",
      { schema: { tags, summary: "Get a SIP trunk", params: IdParams, response: { 200: wire.Trunk } } },
      async (request) => trunkView(await core.getTrunk(deps, principalOf(request), request.params.id)),
    );

    app.patch(
      "/v1/trunks/:id",
      { schema: { tags, summary: "Change a SIP trunk", params: IdParams, body: wire.TrunkPatch, response: { 200: wire.Trunk } } },
      async (request) => trunkView(await core.updateTrunk(deps, principalOf(request), request.params.id, request.body)),
    );

    app.delete(
      "/v1/trunks/:id",
      { schema: { tags, summary: "Delete a SIP trunk (no number may arrive on it)", params: IdParams } },
      async (request, reply) => {
        await core.deleteTrunk(deps, principalOf(request), request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      "/v1/sip-accounts",
      {
        schema: {
          tags,
          summary: "List the agents' SIP phone accounts",
          response: { 200: z.object({ items: z.array(wire.SipAccount) }) },
        },
      },
      async (request) => ({ items: (await core.listSipAccounts(deps, principalOf(request))).map(sipAccountView) }),
    );

    app.post(
      "/v1/sip-accounts",
      {
        schema: {
          tags,
          summary: "Create a SIP phone account (a registrar login with an extension)",
          body: wire.SipAccountInput,
          response: { 201: wire.SipAccount },
        },
      },
      async (request, reply) =>
        reply.code(201).send(sipAccountView(await core.createSipAccount(deps, principalOf(request), request.body))),
    );

    app.get(
      "/v1/sip-accounts/:id",
      { schema: { tags, summary: "Get a SIP phone account", params: IdParams, response: { 200: wire.SipAccount } } },
      async (request) => sipAccountView(await core.getSipAccount(deps, principalOf(request), request.params.id)),
    );

    app.patch(
      "/v1/sip-accounts/:id",
      {
        schema: {
          tags,
          summary: "Change a SIP phone account's extension, name or user",
          params: IdParams,
          body: wire.SipAccountPatch,
          response: { 200: wire.SipAccount },
        },
      },
      async (request) => sipAccountView(await core.updateSipAccount(deps, principalOf(request), request.params.id, request.body)),
    );

    app.post(
      "/v1/sip-accounts/:id/password",
      {
        schema: {
          tags,
          summary: "Set a new password for a SIP phone account",
          params: IdParams,
          body: wire.SipAccountPasswordReset,
          response: { 200: wire.SipAccount },
        },
      },
      async (request) =>
        sipAccountView(await core.resetSipAccountPassword(deps, principalOf(request), request.params.id, request.body.password)),
    );

    app.delete(
      "/v1/sip-accounts/:id",
      { schema: { tags, summary: "Delete a SIP phone account", params: IdParams } },
      async (request, reply) => {
        await core.deleteSipAccount(deps, principalOf(request), request.params.id);
        return reply.code(204).send();
      },
    );
  };
