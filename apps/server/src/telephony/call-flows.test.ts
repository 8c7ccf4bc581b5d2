import { createMemoryStores, newAgent } from "@switchboard/core/testing";
import { describe, expect, it } from "vitest";
import { agentPhones } from "./call-flows.js";

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";
const at = new Date("2026-03-01T09:00:00.000Z");

/** `agentPhones` over two tenants' users and phones: Ada has two, Bob none, Gus is Globex's. */
async function phonesOfAgents() {
  const stores = createMemoryStores();
  for (const [id, slug] of [
    [ACME, "acme"],
    [GLOBEX, "globex"],
  ] as const) {
    await stores.identities.createTenant({ id, slug, name: slug, createdAt: at });
  }
  for (const [tenantId, name] of [
    [ACME, "ada"],
    [ACME, "bob"],
    [GLOBEX, "gus"],
  ] as const) {
    await stores.identities.createUser(newAgent(tenantId, name, at));
  }
  const phone = (id: string, tenantId: string, extension: string, userId: string | null) =>
    stores.sipAccounts.createSipAccount({
      id,
      tenantId,
      username: id,
      extension,
      displayName: id,
      userId,
      ha1: "ha1",
      createdAt: at,
      updatedAt: at,
    });
  await phone("ada-desk", ACME, "2001", "user-ada");
  await phone("ada-soft", ACME, "1001", "user-ada");
  await phone("lobby", ACME, "1000", null);
  await phone("gus-desk", GLOBEX, "1001", "user-gus");
  return agentPhones({ users: stores.identities, sipAccounts: stores.sipAccounts });
}

describe("agentPhones", () => {
  it("rings the phone linked to the worker's user: of several, the first by extension", async () => {
    const phoneOf = await phonesOfAgents();
    expect(await phoneOf(ACME, "identity-ada")).toBe("1001");
    expect(await phoneOf(GLOBEX, "identity-gus")).toBe("1001");
  });

  it("has no phone for a worker without one, one who is not a user, or another tenant's", async () => {
    const phoneOf = await phonesOfAgents();
    expect(await phoneOf(ACME, "identity-bob")).toBeUndefined();
    expect(await phoneOf(ACME, "identity-nobody")).toBeUndefined();
    expect(await phoneOf(GLOBEX, "identity-ada")).toBeUndefined();
    expect(await phoneOf(ACME, "identity-gus")).toBeUndefined();
  });
});
