import { notFound } from "../kernel/domain-error.js";
import type { IdentityDeps } from "./deps.js";
import type { ApiKey } from "./model.js";

export interface CreatedApiKey {
  readonly apiKey: ApiKey;
  /** Shown exactly once; only its digest is stored. */
  readonly secret: string;
}

const PREFIX_LENGTH = 10;

/** Issues a tenant API key for server-to-server calls. `secret` lets the bootstrap choose a known key. */
export async function createApiKey(
  deps: Pick<IdentityDeps, "store" | "clock" | "ids" | "secrets">,
  tenantId: string,
  input: { name: string; secret?: string },
): Promise<CreatedApiKey> {
  const secret = input.secret ?? deps.secrets.newSecret();
  const apiKey = await deps.store.createApiKey({
    id: deps.ids.next(),
    tenantId,
    name: input.name,
    prefix: secret.slice(0, PREFIX_LENGTH),
    secretHash: deps.secrets.digest(secret),
    createdAt: deps.clock.now(),
  });
  return { apiKey, secret };
}

export async function revokeApiKey(deps: Pick<IdentityDeps, "store" | "clock">, tenantId: string, id: string): Promise<ApiKey> {
  const key = await deps.store.revokeApiKey(tenantId, id, deps.clock.now());
  if (!key) throw notFound("api_key", id);
  return key;
}
