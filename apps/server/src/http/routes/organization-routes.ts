import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { organizationView } from "../views.js";

/**
 * Agent organizations (admins): the teams the business outsources agents to. Users and queues name them
 * (`organizationId` on a user, `organizationIds` on a queue); a user of one sees only its queues.
 */
export const organizationRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = ctx.organizations;
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));

    app.get(
      "/v1/organizations",
      {
        schema: {
          tags: ["organizations"],
          summary: "List the tenant's agent organizations, by name",
          response: { 200: z.object({ items: z.array(wire.AgentOrganization) }) },
        },
      },
      async (request) => ({ items: (await core.listOrganizations(deps, principalOf(request))).map(organizationView) }),
    );

    app.post(
      "/v1/organizations",
      {
        schema: {
          tags: ["organizations"],
          summary: "Create an agent organization (a team the business outsources to)",
          body: wire.AgentOrganizationInput,
          response: { 201: wire.AgentOrganization },
        },
      },
      async (request, reply) =>
        reply.code(201).send(organizationView(await core.createOrganization(deps, principalOf(request), request.body))),
    );

    app.get(
      "/v1/organizations/:id",
      {
        schema: {
          tags: ["organizations"],
          summary: "Get an agent organization",
          params: wire.IdParam,
          response: { 200: wire.AgentOrganization },
        },
      },
      async (request) => organizationView(await core.getOrganization(deps, principalOf(request), request.params.id)),
    );

    app.patch(
      "/v1/organizations/:id",
      {
        schema: {
          tags: ["organizations"],
          summary: "Rename an agent organization",
          params: wire.IdParam,
          body: wire.AgentOrganizationInput,
          response: { 200: wire.AgentOrganization },
        },
      },
      async (request) =>
        organizationView(await core.renameOrganization(deps, principalOf(request), request.params.id, request.body)),
    );

    app.delete(
      "/v1/organizations/:id",
      {
        schema: {
          tags: ["organizations"],
          summary: "Delete an agent organization nobody belongs to any more (409 organization.in_use otherwise)",
          params: wire.IdParam,
        },
      },
      async (request, reply) => {
        await core.deleteOrganization(deps, principalOf(request), request.params.id);
        return reply.code(204).send();
      },
    );
  };
