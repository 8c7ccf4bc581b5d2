/** Tenants, users, API keys, identities and the principals that act on their behalf. */

export interface Tenant {
  readonly id: string;
  /** Short, URL-safe name used at sign-in (`acme`). */
  readonly slug: string;
  readonly name: string;
  readonly createdAt: Date;
}

export const ROLES = ["admin", "supervisor", "agent"] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  /** Every user acts in chats and calls through an identity of kind `agent`. */
  readonly identityId: string;
  /** The agent organization (an outsourced team) the user works for; null: in-house. Never set for admins. */
  readonly organizationId: string | null;
  readonly createdAt: Date;
}

export interface UserRecord extends User {
  readonly passwordHash: string;
}

export interface ApiKey {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  /** The first characters of the key, shown in lists so people can tell keys apart. */
  readonly prefix: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export const IDENTITY_KINDS = ["customer", "bot", "agent"] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export interface Identity {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: IdentityKind;
  readonly displayName: string;
  /** The integrator's own id for this person or bot, unique per tenant when set. */
  readonly externalId: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: Date;
}

export const SCOPES = ["chat", "voip", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is making a request, once a transport has authenticated it. */
export type Principal =
  | { readonly kind: "api_key"; readonly tenantId: string; readonly apiKeyId: string }
  | {
      readonly kind: "identity";
      readonly tenantId: string;
      readonly identityId: string;
      readonly scopes: readonly Scope[];
      /** Set when the token was issued by a password sign-in. */
      readonly userId?: string;
      readonly role?: Role;
      /**
       * The user's agent organization, read from the user at each authentication (not from the token, so
       * a move takes effect at once): its users see only the queues assigned to it.
       */
      readonly organizationId?: string;
      /** When the token stops being valid: long-lived connections end then. */
      readonly expiresAt?: Date;
    }
  /** The operator of a multi-tenant deployment: creates tenants, sees no tenant's data. */
  | { readonly kind: "platform" }
  /** Switchboard itself acting for a tenant (the widget's public endpoint, the built-in bot's runtime). */
  | { readonly kind: "system"; readonly tenantId: string };

export const systemPrincipal = (tenantId: string): Principal => ({ kind: "system", tenantId });

/** The claims an access token carries; signing and verifying are a port. */
export interface AccessTokenClaims {
  readonly tenantId: string;
  readonly identityId: string;
  readonly scopes: readonly Scope[];
  readonly userId?: string;
  readonly role?: Role;
  readonly expiresAt: Date;
}

/** Scopes a signed-in user's token gets for their role. */
export const scopesForRole = (role: Role): Scope[] => (role === "admin" ? ["chat", "voip", "admin"] : ["chat", "voip"]);
