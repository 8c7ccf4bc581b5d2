import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyPluginAsyncZod, ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { apiKeyView, identityView, tenantView, userView } from "../views.js";

const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** Tenants, sign-in, users, API keys, identities and their access tokens. */
export const identityRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const deps = ctx.identity;

    app.post(
      "/v1/auth/sign-in",
      {
        schema: {
          tags: ["auth"],
          summary: "Sign in with a password (web apps)",
          security: [],
          body: wire.SignInRequest,
          response: { 200: wire.SignInResponse },
        },
      },
      async (request) => {
        const result = await core.signIn(deps, request.body);
        return { token: result.token, expiresAt: result.expiresAt.toISOString(), user: userView(result.user) };
      },
    );

    // Everything below needs a credential.
    await app.register(async (plain) => {
      const authed = plain.withTypeProvider<ZodTypeProvider>();
      authed.addHook("onRequest", requireAuthentication(ctx.authenticator));

      authed.post(
        "/v1/tenants",
        {
          schema: {
            tags: ["tenants"],
            summary: "Create a tenant (platform operator key only); returns its first admin API key",
            body: wire.CreateTenantRequest,
            response: { 201: wire.CreateTenantResponse },
          },
        },
        async (request, reply) => {
          core.requirePlatform(principalOf(request));
          const tenant = await core.createTenant(deps, request.body);
          const key = await core.createApiKey(deps, tenant.id, { name: "initial admin key" });
          return reply
            .code(201)
            .send({ tenant: tenantView(tenant), apiKey: { apiKey: apiKeyView(key.apiKey), key: key.secret } });
        },
      );

      authed.get(
        "/v1/tenant",
        { schema: { tags: ["tenants"], summary: "The caller's tenant", response: { 200: wire.Tenant } } },
        async (request) => {
          const { tenantId } = core.tenantOf(principalOf(request));
          const tenant = await deps.store.getTenant(tenantId);
          if (!tenant) throw core.notFound("tenant", tenantId);
          return tenantView(tenant);
        },
      );

      authed.get(
        "/v1/users",
        { schema: { tags: ["users"], summary: "List the tenant's users", response: { 200: list(wire.User) } } },
        async (request) => {
          const { tenantId } = core.requireAdmin(principalOf(request));
          const users = await deps.store.listUsers(tenantId);
          return { items: users.map((u) => userView(core.publicUser(u))) };
        },
      );

      authed.post(
        "/v1/users",
        {
          schema: {
            tags: ["users"],
            summary: "Create a user (admin, supervisor or agent) with a password, in-house or of an agent organization",
            body: wire.CreateUserRequest,
            response: { 201: wire.User },
          },
        },
        async (request, reply) => {
          const { tenantId } = core.requireAdmin(principalOf(request));
          return reply.code(201).send(userView(await core.createUser(deps, tenantId, request.body)));
        },
      );

      authed.patch(
        "/v1/users/:id",
        {
          schema: {
            tags: ["users"],
            summary: "Change a user: their name, role, and the agent organization they work for (null: in-house)",
            params: wire.IdParam,
            body: wire.UpdateUserRequest,
            response: { 200: wire.User },
          },
        },
        async (request) => {
          const { tenantId } = core.requireAdmin(principalOf(request));
          return userView(await core.updateUser(deps, tenantId, request.params.id, request.body));
        },
      );

      authed.get(
        "/v1/api-keys",
        { schema: { tags: ["api keys"], summary: "List the tenant's API keys", response: { 200: list(wire.ApiKey) } } },
        async (request) => {
          const { tenantId } = core.requireAdmin(principalOf(request));
          return { items: (await deps.store.listApiKeys(tenantId)).map(apiKeyView) };
        },
      );

      authed.post(
        "/v1/api-keys",
        {
          schema: {
            tags: ["api keys"],
            summary: "Create an API key; the secret is in this response only",
            body: wire.CreateApiKeyRequest,
            response: { 201: wire.CreatedApiKey },
          },
        },
        async (request, reply) => {
          const { tenantId } = core.requireAdmin(principalOf(request));
          const created = await core.createApiKey(deps, tenantId, { name: request.body.name });
          return reply.code(201).send({ apiKey: apiKeyView(created.apiKey), key: created.secret });
        },
      );

      authed.delete(
        "/v1/api-keys/:id",
        { schema: { tags: ["api keys"], summary: "Revoke an API key", params: wire.IdParam, response: { 200: wire.ApiKey } } },
        async (request) => {
          const { tenantId } = core.requireAdmin(principalOf(request));
          return apiKeyView(await core.revokeApiKey(deps, tenantId, request.params.id));
        },
      );

      authed.post(
        "/v1/identities",
        {
          schema: {
            tags: ["identities"],
            summary: "Create an identity (customer, bot or agent)",
            body: wire.CreateIdentityRequest,
            response: { 201: wire.Identity },
          },
        },
        async (request, reply) => {
          const { tenantId } = core.requireAdmin(principalOf(request));
          return reply.code(201).send(identityView(await core.createIdentity(deps, tenantId, request.body)));
        },
      );

      authed.get(
        "/v1/identities",
        {
          schema: {
            tags: ["identities"],
            summary: "List identities, oldest first, optionally of one kind",
            querystring: wire.PageQuery.extend({ kind: wire.IdentityKind.optional() }),
            response: { 200: wire.IdentityPage },
          },
        },
        async (request) => {
          const { tenantId } = core.requireAdmin(principalOf(request));
          const { after, limit, kind } = request.query;
          const page = await core.listIdentities(deps, tenantId, {
            limit,
            ...(after ? { after } : {}),
            ...(kind ? { kind } : {}),
          });
          return { items: page.items.map(identityView), next: page.next };
        },
      );

      authed.get(
        "/v1/identities/:id",
        {
          schema: {
            tags: ["identities"],
            summary: "Get an identity (an admin, or the identity itself)",
            params: wire.IdParam,
            response: { 200: wire.Identity },
          },
        },
        async (request) => {
          const principal = core.tenantOf(principalOf(request));
          const self = principal.kind === "identity" && principal.identityId === request.params.id;
          if (!self) core.requireAdmin(principal);
          return identityView(await core.getIdentity(deps, principal.tenantId, request.params.id));
        },
      );

      authed.delete(
        "/v1/identities/:id",
        { schema: { tags: ["identities"], summary: "Delete an identity; its tokens stop working", params: wire.IdParam } },
        async (request, reply) => {
          const { tenantId } = core.requireAdmin(principalOf(request));
          await core.deleteIdentity(deps, tenantId, request.params.id);
          return reply.code(204).send();
        },
      );

      authed.post(
        "/v1/identities/:id/tokens",
        {
          schema: {
            tags: ["identities"],
            summary: "Issue a short-lived access token for an identity",
            params: wire.IdParam,
            body: wire.IssueTokenRequest,
            response: { 201: wire.AccessToken },
          },
        },
        async (request, reply) => {
          const { tenantId } = core.requireAdmin(principalOf(request));
          const issued = await core.issueAccessToken(deps, tenantId, request.params.id, request.body);
          return reply.code(201).send({ token: issued.token, expiresAt: issued.expiresAt.toISOString() });
        },
      );
    });
  };
