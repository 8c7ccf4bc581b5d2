import { authenticate, type IdentityDeps, type Principal } from "@switchboard/core";
import type { FastifyReply, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The bearer credential of a request: `Authorization: Bearer ...`, or `?token=` (browsers' WebSockets cannot set headers). */
export function credentialOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? header;
  }
  const query = request.query as { token?: unknown } | undefined;
  return typeof query?.token === "string" ? query.token : undefined;
}

export type Authenticator = (request: FastifyRequest) => Promise<Principal>;

export function makeAuthenticator(deps: IdentityDeps, platformKeyDigest: string | undefined): Authenticator {
  return (request) => authenticate(deps, credentialOf(request), { platformKeyDigest });
}

/** onRequest hook of authenticated routes (every /v1 route but sign-in): before the body is parsed or validated. */
export const requireAuthentication =
  (authenticator: Authenticator) =>
  async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    request.principal = await authenticator(request);
  };

/** The principal of an authenticated route (its onRequest hook has run). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error("route registered without authentication");
  return request.principal;
}
