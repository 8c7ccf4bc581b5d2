import { type AccessTokenClaims, ROLES, type Role, SCOPES, type Scope, type TokenSigner } from "@switchboard/core";
import { jwtVerify, SignJWT } from "jose";

const ISSUER = "switchboard";

/** Access tokens as compact JWTs (HS256) signed with the deployment's persisted key. */
export class JwtTokenSigner implements TokenSigner {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = Buffer.from(secret, "base64url");
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
