import { MemoryIdentityStore } from "@switchboard/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../kernel/clock.js";
import { DomainError } from "../kernel/domain-error.js";
import { SequentialIds } from "../kernel/ids.js";
import { createApiKey, revokeApiKey } from "./api-keys.js";
import { authenticate } from "./authenticate.js";
import { requireAdmin, requireScope } from "./authorize.js";
import { createTenant } from "./create-tenant.js";
import { createUser } from "./create-user.js";
import type { IdentityDeps } from "./deps.js";
import { createIdentity, deleteIdentity, issueAccessToken } from "./identities.js";
import type { AccessTokenClaims } from "./model.js";
import type { PasswordHasher, SecretGenerator, TokenSigner } from "./ports.js";
import { signIn } from "./sign-in.js";
import { updateUser } from "./update-user.js";

/** Test doubles of the crypto ports: transparent, but with the same contract (expiry, tamper detection). */
const tokens: TokenSigner = {
  async sign(claims) {
    return `t.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  },
  async verify(token, now) {
    if (!token.startsWith("t.")) return undefined;
    const raw = JSON.parse(Buffer.from(token.slice(2), "base64url").toString()) as AccessTokenClaims & { expiresAt: string };
    const claims = { ...raw, expiresAt: new Date(raw.expiresAt) };
    return claims.expiresAt.getTime() > now.getTime() ? claims : undefined;
  },
};
const passwords: PasswordHasher = {
  hash: async (p) => `h:${p}`,
  verify: async (p, h) => h === `h:${p}`,
};
let secretCount = 0;
const secrets: SecretGenerator = {
  newSecret: () => `sk_secret_${++secretCount}`,
  digest: (s) => `d:${s}`,
};

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof DomainError ? `${e.kind}:${e.code}` : String(e)),
  );

describe("identity and access", () => {
  let deps: IdentityDeps;
  let clock: ManualClock;
  let tenantId: string;

  beforeEach(async () => {
    clock = new ManualClock("2026-03-01T12:00:00Z");
    deps = {
      store: new MemoryIdentityStore(),
      clock,
      ids: new SequentialIds(),
      tokens,
      passwords,
      secrets,
      tokenPolicy: { defaultMinutes: 60, maxMinutes: 120 },
      organizations: { getOrganization: async () => undefined },
    };
    tenantId = (await createTenant(deps, { slug: "acme", name: "Acme" })).id;
  });

  it("validates tenant slugs and keeps them unique", async () => {
    expect(await codeOf(createTenant(deps, { slug: "Not Valid", name: "x" }))).toBe("invalid:tenant.invalid_slug");
    expect(await codeOf(createTenant(deps, { slug: "acme", name: "x" }))).toBe("conflict:tenant.slug_taken");
  });

  it("authenticates an API key as its tenant, and refuses it once revoked", async () => {
    const { apiKey, secret } = await createApiKey(deps, tenantId, { name: "server" });
    expect(await authenticate(deps, secret)).toEqual({ kind: "api_key", tenantId, apiKeyId: apiKey.id });
    await revokeApiKey(deps, tenantId, apiKey.id);
    expect(await codeOf(authenticate(deps, secret))).toBe("unauthenticated:auth.invalid_api_key");
    expect(await codeOf(authenticate(deps, "sk_unknown"))).toBe("unauthenticated:auth.invalid_api_key");
    expect(await codeOf(authenticate(deps, undefined))).toBe("unauthenticated:auth.missing");
  });

  it("recognizes the platform key only by its digest", async () => {
    expect(await authenticate(deps, "sk_platform", { platformKeyDigest: "d:sk_platform" })).toEqual({ kind: "platform" });
    expect(await codeOf(authenticate(deps, "sk_platform"))).toBe("unauthenticated:auth.invalid_api_key");
  });

  it("issues tokens that carry scopes, expire, and die with their identity", async () => {
    const identity = await createIdentity(deps, tenantId, { displayName: "Ada" });
    const issued = await issueAccessToken(deps, tenantId, identity.id, { scopes: ["chat", "chat"], expiresInMinutes: 10 });
    expect(issued.expiresAt.toISOString()).toBe("2026-03-01T12:10:00.000Z");
    expect(await authenticate(deps, issued.token)).toEqual({
      kind: "identity",
      tenantId,
      identityId: identity.id,
      scopes: ["chat"],
      expiresAt: issued.expiresAt,
    });
    clock.advance(10 * 60_000);
    expect(await codeOf(authenticate(deps, issued.token))).toBe("unauthenticated:auth.invalid_token");

    const fresh = await issueAccessToken(deps, tenantId, identity.id, { scopes: ["voip"] });
    expect(fresh.expiresAt.getTime() - clock.now().getTime()).toBe(60 * 60_000);
    await deleteIdentity(deps, tenantId, identity.id);
    expect(await codeOf(authenticate(deps, fresh.token))).toBe("unauthenticated:auth.identity_gone");
  });

  it("bounds token lifetimes and requires a scope and an existing identity", async () => {
    const identity = await createIdentity(deps, tenantId, {});
    expect(await codeOf(issueAccessToken(deps, tenantId, identity.id, { scopes: ["chat"], expiresInMinutes: 121 }))).toBe(
      "invalid:token.invalid_lifetime",
    );
    expect(await codeOf(issueAccessToken(deps, tenantId, identity.id, { scopes: [] }))).toBe("invalid:token.no_scopes");
    expect(await codeOf(issueAccessToken(deps, tenantId, "nobody", { scopes: ["chat"] }))).toBe("not_found:identity.not_found");
    const other = (await createTenant(deps, { slug: "other", name: "Other" })).id;
    expect(await codeOf(issueAccessToken(deps, other, identity.id, { scopes: ["chat"] }))).toBe("not_found:identity.not_found");
  });

  it("signs users in with their role's scopes and refuses wrong passwords alike for unknown users", async () => {
    const agent = await createUser(deps, tenantId, {
      email: " Agent@Acme.Example ",
      displayName: "Agent",
      role: "agent",
      password: "long enough pw",
    });
    expect(agent.email).toBe("agent@acme.example");
    const result = await signIn(deps, { tenant: "acme", email: "agent@acme.example", password: "long enough pw" });
    const principal = await authenticate(deps, result.token);
    expect(principal).toEqual({
      kind: "identity",
      tenantId,
      identityId: agent.identityId,
      scopes: ["chat", "voip"],
      userId: agent.id,
      role: "agent",
      expiresAt: result.expiresAt,
    });
    expect(() => requireAdmin(principal)).toThrow(DomainError);
    expect(requireScope(principal, "voip")).toBe(principal);
    expect(await codeOf(signIn(deps, { tenant: "acme", email: "agent@acme.example", password: "wrong" }))).toBe(
      "unauthenticated:auth.invalid_credentials",
    );
    expect(await codeOf(signIn(deps, { tenant: "acme", email: "ghost@acme.example", password: "x" }))).toBe(
      "unauthenticated:auth.invalid_credentials",
    );
    expect(await codeOf(createUser(deps, tenantId, { email: "x@y.z", displayName: "x", role: "admin", password: "short" }))).toBe(
      "invalid:user.weak_password",
    );
  });
  it("changes a user's name and role; the same token has the new role's rights at once", async () => {
    const changed: string[] = [];
    deps = { ...deps, onUserChanged: (_tenantId, userId) => changed.push(userId) };
    const boss = await createUser(deps, tenantId, {
      email: "boss@acme.example",
      displayName: "Boss",
      role: "admin",
      password: "long enough pw",
    });
    const ada = await createUser(deps, tenantId, {
      email: "ada@acme.example",
      displayName: "Ada",
      role: "admin",
      password: "long enough pw",
    });
    const { token } = await signIn(deps, { tenant: "acme", email: "ada@acme.example", password: "long enough pw" });
    expect(requireAdmin(await authenticate(deps, token))).toBeDefined();

    const renamed = await updateUser(deps, tenantId, ada.id, { displayName: "  Ada Lovelace ", role: "supervisor" });
    expect(renamed).toMatchObject({ displayName: "Ada Lovelace", role: "supervisor", organizationId: null });
    expect((await deps.store.getIdentity(tenantId, ada.identityId))?.displayName).toBe("Ada Lovelace");
    expect(changed).toEqual([ada.id]);
    const demoted = await authenticate(deps, token);
    expect(demoted).toMatchObject({ role: "supervisor", scopes: ["chat", "voip"] });
    expect(() => requireAdmin(demoted)).toThrow(DomainError);
    // Nothing changed, nobody told.
    await updateUser(deps, tenantId, ada.id, { role: "supervisor", displayName: "Ada Lovelace" });
    expect(changed).toEqual([ada.id]);

    expect(await codeOf(updateUser(deps, tenantId, ada.id, { displayName: "   " }))).toBe("invalid:user.invalid");
    expect(await codeOf(updateUser(deps, tenantId, ada.id, { displayName: "x".repeat(129) }))).toBe("invalid:user.invalid");
    // The tenant keeps an admin user: the last one cannot be demoted.
    expect(await codeOf(updateUser(deps, tenantId, boss.id, { role: "agent" }))).toBe("conflict:user.last_admin");
    await updateUser(deps, tenantId, ada.id, { role: "admin" });
    expect(await updateUser(deps, tenantId, boss.id, { role: "agent" })).toMatchObject({ role: "agent" });
    expect(await codeOf(updateUser(deps, "tenant-nope", ada.id, { role: "agent" }))).toBe("not_found:user.not_found");
  });
});
