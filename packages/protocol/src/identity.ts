import { z } from "zod";
import { Id, Metadata, pageOf, Timestamp } from "./common.js";

export const Scope = z.enum(["chat", "voip", "admin"]);
export type Scope = z.infer<typeof Scope>;
export const Role = z.enum(["admin", "supervisor", "agent"]);
export type Role = z.infer<typeof Role>;
export const IdentityKind = z.enum(["customer", "bot", "agent"]);
export type IdentityKind = z.infer<typeof IdentityKind>;

export const Tenant = z.object({ id: Id, slug: z.string(), name: z.string(), createdAt: Timestamp }).meta({ id: "Tenant" });
export type Tenant = z.infer<typeof Tenant>;

export const CreateTenantRequest = z.object({
  slug: z.string().min(1).max(40).describe("Lowercase letters, digits and dashes; used at sign-in"),
  name: z.string().min(1).max(200),
});
export type CreateTenantRequest = z.infer<typeof CreateTenantRequest>;

export const ApiKey = z
  .object({ id: Id, name: z.string(), prefix: z.string(), createdAt: Timestamp, revokedAt: Timestamp.nullable() })
  .meta({ id: "ApiKey" });
export type ApiKey = z.infer<typeof ApiKey>;

export const CreatedApiKey = z.object({
  apiKey: ApiKey,
  key: z.string().describe("The secret: shown only in this response"),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const CreateTenantResponse = z.object({ tenant: Tenant, apiKey: CreatedApiKey });
export type CreateTenantResponse = z.infer<typeof CreateTenantResponse>;

export const CreateApiKeyRequest = z.object({ name: z.string().min(1).max(200) });
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

export const User = z
  .object({
    id: Id,
    email: z.string(),
    displayName: z.string(),
    role: Role,
    identityId: Id,
    organizationId: Id.nullable()
      .optional()
      .describe("The agent organization (an outsourced team) the user works for; null: in-house. Sent by the server always"),
    createdAt: Timestamp,
  })
  .meta({ id: "User" });
export type User = z.infer<typeof User>;

export const CreateUserRequest = z.object({
  email: z.email().max(254),
  displayName: z.string().min(1).max(128),
  role: Role,
  password: z.string().min(10).max(256),
  organizationId: Id.nullable()
    .optional()
    .describe("An agent organization of the tenant, for an agent or supervisor (never an admin); absent or null: in-house"),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z.object({
  displayName: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe("Also the name customers and colleagues see on the user's messages and in routing"),
  role: Role.optional().describe(
    "Takes effect on the user's next request. An admin belongs to no organization: send organizationId null with it. The tenant's last admin stays one (409 user.last_admin)",
  ),
  organizationId: Id.nullable()
    .optional()
    .describe(
      "Moves the user to this agent organization, or in-house with null; they stop being members of queues it is not assigned",
    ),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

/** A team the business outsources agents to (a BPO); its users see only the queues assigned to it. */
export const AgentOrganization = z.object({ id: Id, name: z.string(), createdAt: Timestamp }).meta({ id: "AgentOrganization" });
export type AgentOrganization = z.infer<typeof AgentOrganization>;

export const AgentOrganizationInput = z.object({ name: z.string().min(1).max(100).describe("Unique in the tenant") });
export type AgentOrganizationInput = z.infer<typeof AgentOrganizationInput>;

export const SignInRequest = z.object({
  tenant: z.string().min(1).max(40).describe("The tenant's slug"),
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export const AccessToken = z.object({ token: z.string(), expiresAt: Timestamp });
export type AccessToken = z.infer<typeof AccessToken>;

export const SignInResponse = AccessToken.extend({ user: User });
export type SignInResponse = z.infer<typeof SignInResponse>;

export const Identity = z
  .object({
    id: Id,
    kind: IdentityKind,
    displayName: z.string(),
    externalId: z.string().nullable(),
    metadata: Metadata,
    createdAt: Timestamp,
  })
  .meta({ id: "Identity" });
export type Identity = z.infer<typeof Identity>;
export const IdentityPage = pageOf(Identity);
export type IdentityPage = z.infer<typeof IdentityPage>;

export const CreateIdentityRequest = z.object({
  kind: IdentityKind.optional().describe("Defaults to `customer`"),
  displayName: z.string().max(128).optional(),
  externalId: z.string().min(1).max(128).optional(),
  metadata: Metadata.optional(),
});
export type CreateIdentityRequest = z.infer<typeof CreateIdentityRequest>;

export const IssueTokenRequest = z.object({
  scopes: z.array(Scope).min(1),
  expiresInMinutes: z.number().int().min(1).max(1440).optional(),
});
export type IssueTokenRequest = z.infer<typeof IssueTokenRequest>;
