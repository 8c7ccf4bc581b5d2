import { createSecretKey, type KeyObject } from "node:crypto";
import { type AccessTokenClaims, ROLES, type Role, SCOPES, type Scope, type TokenSigner } from "@switchboard/core";
import { jwtVerify, SignJWT } from "jose";

const ISSUER = "switchboard";

/** How many verified tokens are remembered; clients reuse a token for many requests. */
const VERIFIED_CACHE_SIZE = 20_000;

/**
 * Access tokens as compact JWTs (HS256) signed with the deployment's persisted key. A token is
 * immutable, so its verified claims are remembered (expiry is still checked at every use): a client's
 * requests pay the signature check once, not per request.
 */
export class JwtTokenSigner implements TokenSigner {
  private readonly key: KeyObject;
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, "base64url"));
  }

  async sign(claims: AccessTokenClaims, now: Date): Promise<string> {
    const jwt = new SignJWT({
      tid: claims.tenantId,
      scp: claims.scopes,
      ...(claims.userId ? { uid: claims.userId } : {}),
      ...(claims.role ? { role: claims.role } : {}),
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(ISSUER)
      .setSubject(claims.identityId)
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000));
    return jwt.sign(this.key);
  }

  async verify(token: string, now: Date): Promise<AccessTokenClaims | undefined> {
    const known = this.verified.get(token);
    if (known) return known.expiresAt.getTime() > now.getTime() ? known : undefined;
    const claims = await this.verifySignature(token, now);
    if (claims) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) {
        const oldest = this.verified.keys().next().value;
        if (oldest !== undefined) this.verified.delete(oldest);
      }
      this.verified.set(token, claims);
    }
    return claims;
  }

  private async verifySignature(token: string, now: Date): Promise<AccessTokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        algorithms: ["HS256"],
        currentDate: now,
      });
      const scopes = Array.isArray(payload.scp) ? payload.scp.filter((s): s is Scope => SCOPES.includes(s as Scope)) : [];
      if (typeof payload.sub !== "string" || typeof payload.tid !== "string" || typeof payload.exp !== "number") return undefined;
      const role = ROLES.includes(payload.role as Role) ? (payload.role as Role) : undefined;
      return {
        tenantId: payload.tid,
        identityId: payload.sub,
        scopes,
        ...(typeof payload.uid === "string" ? { userId: payload.uid } : {}),
        ...(role ? { role } : {}),
        expiresAt: new Date(payload.exp * 1000),
      };
    } catch {
      return undefined;
    }
  }
}
