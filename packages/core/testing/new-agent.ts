import type { NewUser } from "../src/index.js";

/**
 * An agent of the tenant for use cases' tests: the user `user-<name>` (`<name>@example.test`) with its
 * agent identity `identity-<name>`, the worker routing knows them by.
 */
export function newAgent(tenantId: string, name: string, createdAt: Date): NewUser {
  return {
    id: `user-${name}`,
    tenantId,
    email: `${name}@example.test`,
    displayName: name,
    role: "agent",
    passwordHash: "x",
    identity: {
      id: `identity-${name}`,
      tenantId,
      kind: "agent",
      displayName: name,
      externalId: null,
      metadata: {},
      createdAt,
    },
    createdAt,
  };
}
