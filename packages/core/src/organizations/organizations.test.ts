import { countingSecrets, createMemoryStores, plainPasswords, transparentTokens } from "@switchboard/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import type { ChatDeps } from "../chat/deps.js";
import { accessConversation, listConversations, superviseConversation } from "../conversations/conversations.js";
import type { ConversationDeps } from "../conversations/deps.js";
import type { Conversation } from "../conversations/model.js";
import { authenticate } from "../identity/authenticate.js";
import { createUser } from "../identity/create-user.js";
import type { IdentityDeps } from "../identity/deps.js";
import type { Principal, Role, User } from "../identity/model.js";
import { signIn } from "../identity/sign-in.js";
import { updateUser } from "../identity/update-user.js";
import { ManualClock } from "../kernel/clock.js";
import { DomainError } from "../kernel/domain-error.js";
import { SequentialIds } from "../kernel/ids.js";
import type { Queue } from "../queues/model.js";
import { createQueue, getVisibleQueue, listVisibleQueues, type QueueDeps, updateQueue } from "../queues/queues.js";
import { allowedMemberships, checkMemberships } from "../workers/memberships.js";
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  listOrganizations,
  type OrganizationDeps,
  renameOrganization,
} from "./organizations.js";
import { organizationOf, queueAssignedTo, userVisibleTo } from "./visibility.js";

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";
const admin: Principal = { kind: "api_key", tenantId: ACME, apiKeyId: "key-1" };
const globexAdmin: Principal = { kind: "api_key", tenantId: GLOBEX, apiKeyId: "key-2" };

/** The code of the DomainError a promise rejects with, with its fields. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof DomainError ? { code: e.code, fields: e.fields.map((f) => f.field) } : String(e)),
  );

describe("agent organizations", () => {
  let clock: ManualClock;
  let stores: ReturnType<typeof createMemoryStores>;
  let identity: IdentityDeps;
  let organizations: OrganizationDeps;
  let queues: QueueDeps;
  let conversation: ConversationDeps;
  let changedUsers: string[];

  beforeEach(async () => {
    stores = createMemoryStores();
    clock = new ManualClock("2026-04-01T09:00:00Z");
    const ids = new SequentialIds("x");
    changedUsers = [];
    identity = {
      store: stores.identities,
      clock,
      ids,
      tokens: transparentTokens,
      passwords: plainPasswords,
      secrets: countingSecrets(),
      tokenPolicy: { defaultMinutes: 60, maxMinutes: 600 },
      organizations: stores.organizations,
      onUserChanged: (_tenantId, userId) => changedUsers.push(userId),
    };
    organizations = { organizations: stores.organizations, users: stores.identities, clock, ids };
    queues = { queues: stores.queues, organizations: stores.organizations, clock, ids };
    const chat: ChatDeps = {
      chat: stores.chat,
      identities: stores.identities,
      attachmentStore: stores.attachments,
      publisher: { publish: () => {} },
      clock,
      ids,
    };
    conversation = {
      chat,
      identity,
      conversations: stores.conversations,
      entryPoints: stores.entryPoints,
      customers: stores.customers,
      queues: stores.queues,
      events: { publishConversationEvent: () => {} },
      widgetTokenMinutes: 30,
    };
    await stores.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: clock.now() });
    await stores.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: clock.now() });
  });

  /** A user of Acme, signed in: their principal as the server would authenticate their token. */
  async function signedIn(name: string, role: Role, organizationId: string | null) {
    const email = `${name.toLowerCase()}@acme.test`;
    const user = await createUser(identity, ACME, {
      email,
      displayName: name,
      role,
      password: "a long password",
      organizationId,
    });
    const { token } = await signIn(identity, { tenant: "acme", email, password: "a long password" });
    const principal = () => authenticate(identity, token);
    return { user, token, principal: await principal(), reauthenticate: principal };
  }

  it("admins create, rename, list and delete organizations, with names checked and unique in the tenant", async () => {
    const teleperfect = await createOrganization(organizations, admin, { name: "  Teleperfect  " });
    expect(teleperfect).toMatchObject({ tenantId: ACME, name: "Teleperfect" });
    await createOrganization(organizations, admin, { name: "Callworks" });
    expect(await failure(createOrganization(organizations, admin, { name: " " }))).toEqual({
      code: "organization.invalid",
      fields: ["name"],
    });
    expect(await failure(createOrganization(organizations, admin, { name: "Teleperfect" }))).toMatchObject({
      code: "organization.name_taken",
    });
    expect(await createOrganization(organizations, globexAdmin, { name: "Teleperfect" })).toMatchObject({ tenantId: GLOBEX });

    expect(await renameOrganization(organizations, admin, teleperfect.id, { name: "Teleperfect EU" })).toMatchObject({
      id: teleperfect.id,
      name: "Teleperfect EU",
    });
    expect((await listOrganizations(organizations, admin)).map((o) => o.name)).toEqual(["Callworks", "Teleperfect EU"]);
    expect(await getOrganization(organizations, admin, teleperfect.id)).toMatchObject({ name: "Teleperfect EU" });

    // Another tenant's organization is as good as absent.
    const notFound = { code: "organization.not_found", fields: [] };
    expect(await failure(getOrganization(organizations, globexAdmin, teleperfect.id))).toEqual(notFound);
    expect(await failure(renameOrganization(organizations, globexAdmin, teleperfect.id, { name: "x" }))).toEqual(notFound);
    expect(await failure(deleteOrganization(organizations, globexAdmin, teleperfect.id))).toEqual(notFound);

    await deleteOrganization(organizations, admin, teleperfect.id);
    expect(await failure(getOrganization(organizations, admin, teleperfect.id))).toEqual(notFound);
  });

  it("is changed by admins only; supervisors read the list (for the live view's filter), an organization's its own", async () => {
    const bpo = await createOrganization(organizations, admin, { name: "Teleperfect" });
    await createOrganization(organizations, admin, { name: "Callworks" });
    const sam = await signedIn("Sam", "supervisor", null);
    const refused = { code: "auth.admin_required", fields: [] };
    expect(await failure(createOrganization(organizations, sam.principal, { name: "Mine" }))).toEqual(refused);
    expect(await failure(renameOrganization(organizations, sam.principal, bpo.id, { name: "Mine" }))).toEqual(refused);
    expect(await failure(deleteOrganization(organizations, sam.principal, bpo.id))).toEqual(refused);
    expect((await listOrganizations(organizations, sam.principal)).map((o) => o.name)).toEqual(["Callworks", "Teleperfect"]);
    const sue = await signedIn("Sue", "supervisor", bpo.id);
    expect((await listOrganizations(organizations, sue.principal)).map((o) => o.name)).toEqual(["Teleperfect"]);
    const ann = await signedIn("Ann", "agent", null);
    expect(await failure(listOrganizations(organizations, ann.principal))).toEqual({
      code: "auth.supervisor_required",
      fields: [],
    });
  });

  it("puts agents and supervisors, never admins, in an organization of the tenant, and moves them", async () => {
    const bpo = await createOrganization(organizations, admin, { name: "Teleperfect" });
    const other = await createOrganization(organizations, globexAdmin, { name: "Globex BPO" });
    const input = (email: string, role: Role, organizationId: string | null) => ({
      email,
      displayName: email,
      role,
      password: "a long password",
      organizationId,
    });
    expect(await createUser(identity, ACME, input("ann@acme.test", "agent", bpo.id))).toMatchObject({ organizationId: bpo.id });
    expect(await createUser(identity, ACME, input("sue@acme.test", "supervisor", bpo.id))).toMatchObject({
      organizationId: bpo.id,
    });
    const invalid = { code: "user.invalid", fields: ["organizationId"] };
    expect(await failure(createUser(identity, ACME, input("adm@acme.test", "admin", bpo.id)))).toEqual(invalid);
    expect(await failure(createUser(identity, ACME, input("x@acme.test", "agent", "org-nope")))).toEqual(invalid);
    expect(await failure(createUser(identity, ACME, input("y@acme.test", "agent", other.id)))).toEqual(invalid);
    const inHouse = await createUser(identity, ACME, input("ian@acme.test", "agent", null));
    expect(inHouse.organizationId).toBeNull();

    expect(await updateUser(identity, ACME, inHouse.id, { organizationId: bpo.id })).toMatchObject({ organizationId: bpo.id });
    expect(changedUsers).toEqual([inHouse.id]);
    // No change, no news.
    await updateUser(identity, ACME, inHouse.id, { organizationId: bpo.id });
    await updateUser(identity, ACME, inHouse.id, {});
    expect(changedUsers).toEqual([inHouse.id]);
    expect(await failure(updateUser(identity, ACME, inHouse.id, { organizationId: other.id }))).toEqual(invalid);
    expect(await updateUser(identity, ACME, inHouse.id, { organizationId: null })).toMatchObject({ organizationId: null });
    const adminUser = await createUser(identity, ACME, input("boss@acme.test", "admin", null));
    expect(await failure(updateUser(identity, ACME, adminUser.id, { organizationId: bpo.id }))).toEqual(invalid);
    // An agent of an organization becomes an admin only by moving in-house in the same change.
    const ann = (await stores.identities.listUsers(ACME)).find((u) => u.email === "ann@acme.test");
    expect(await failure(updateUser(identity, ACME, ann?.id ?? "", { role: "admin" }))).toEqual(invalid);
    expect(await updateUser(identity, ACME, ann?.id ?? "", { role: "admin", organizationId: null })).toMatchObject({
      role: "admin",
      organizationId: null,
    });
    expect(await failure(updateUser(identity, GLOBEX, inHouse.id, { organizationId: null }))).toEqual({
      code: "user.not_found",
      fields: [],
    });
  });

  it("refuses to delete an organization while a user belongs to it, and takes it off its queues when it goes", async () => {
    const bpo = await createOrganization(organizations, admin, { name: "Teleperfect" });
    const { user } = await signedIn("Ann", "agent", bpo.id);
    const queue = await createQueue(queues, ACME, { name: "billing", organizationIds: [bpo.id] });
    expect(await failure(deleteOrganization(organizations, admin, bpo.id))).toEqual({ code: "organization.in_use", fields: [] });
    await updateUser(identity, ACME, user.id, { organizationId: null });
    await deleteOrganization(organizations, admin, bpo.id);
    expect((await stores.queues.getQueue(ACME, queue.id))?.organizationIds).toEqual([]);
  });

  it("gives a signed-in user's principal their organization as it is now, and admins none", async () => {
    const bpo = await createOrganization(organizations, admin, { name: "Teleperfect" });
    const ann = await signedIn("Ann", "agent", bpo.id);
    expect(ann.principal).toMatchObject({ kind: "identity", userId: ann.user.id, role: "agent", organizationId: bpo.id });
    expect(organizationOf(ann.principal)).toBe(bpo.id);
    // Moved in-house: the same token sees everything at once.
    await updateUser(identity, ACME, ann.user.id, { organizationId: null });
    const moved = await ann.reauthenticate();
    expect(moved).not.toHaveProperty("organizationId");
    expect(organizationOf(moved)).toBeNull();

    const boss = await signedIn("Boss", "admin", null);
    expect(organizationOf(boss.principal)).toBeNull();
    // Even a principal that claimed one: admins, API keys and Switchboard itself see everything.
    expect(organizationOf({ ...boss.principal, organizationId: bpo.id } as Principal)).toBeNull();
    expect(organizationOf(admin)).toBeNull();
    expect(organizationOf({ kind: "system", tenantId: ACME })).toBeNull();
  });

  it("assigns queues to organizations of the tenant; their users see only those, in-house users and admins all", async () => {
    const a = await createOrganization(organizations, admin, { name: "Alpha" });
    const b = await createOrganization(organizations, admin, { name: "Beta" });
    const other = await createOrganization(organizations, globexAdmin, { name: "Globex BPO" });
    const shared = await createQueue(queues, ACME, { name: "billing", organizationIds: [b.id, a.id, b.id] });
    expect(shared.organizationIds).toEqual([a.id, b.id].sort());
    const alphaOnly = await createQueue(queues, ACME, { name: "alpha line", organizationIds: [a.id] });
    const inHouse = await createQueue(queues, ACME, { name: "vip" });
    expect(inHouse.organizationIds).toEqual([]);
    expect(await failure(createQueue(queues, ACME, { name: "x", organizationIds: [a.id, "org-nope"] }))).toEqual({
      code: "queue.invalid",
      fields: ["organizationIds.1"],
    });
    expect(await failure(updateQueue(queues, ACME, inHouse.id, { organizationIds: [other.id] }))).toEqual({
      code: "queue.invalid",
      fields: ["organizationIds.0"],
    });
    // A patch that does not name them keeps them.
    expect((await updateQueue(queues, ACME, shared.id, { alertSeconds: 45 })).organizationIds).toEqual(shared.organizationIds);

    const names = (list: readonly Queue[]) => list.map((q) => q.name);
    const alphaAgent = await signedIn("Ann", "agent", a.id);
    const betaSupervisor = await signedIn("Bea", "supervisor", b.id);
    const inHouseAgent = await signedIn("Ian", "agent", null);
    expect(names(await listVisibleQueues(queues, alphaAgent.principal))).toEqual(["alpha line", "billing"]);
    expect(names(await listVisibleQueues(queues, betaSupervisor.principal))).toEqual(["billing"]);
    expect(names(await listVisibleQueues(queues, inHouseAgent.principal))).toEqual(["alpha line", "billing", "vip"]);
    expect(names(await listVisibleQueues(queues, admin))).toEqual(["alpha line", "billing", "vip"]);

    expect(await getVisibleQueue(queues, alphaAgent.principal, alphaOnly.id)).toMatchObject({ name: "alpha line" });
    const notFound = { code: "queue.not_found", fields: [] };
    expect(await failure(getVisibleQueue(queues, betaSupervisor.principal, alphaOnly.id))).toEqual(notFound);
    expect(await failure(getVisibleQueue(queues, alphaAgent.principal, inHouse.id))).toEqual(notFound);
    expect(await getVisibleQueue(queues, inHouseAgent.principal, inHouse.id)).toMatchObject({ name: "vip" });

    expect(queueAssignedTo(shared, null)).toBe(true);
    expect(queueAssignedTo(inHouse, a.id)).toBe(false);
    const user = (organizationId: string | null) => ({ organizationId }) as Pick<User, "organizationId">;
    expect(userVisibleTo(user(a.id), null)).toBe(true);
    expect(userVisibleTo(user(null), a.id)).toBe(false);
    expect(userVisibleTo(user(b.id), a.id)).toBe(false);
    expect(userVisibleTo(user(a.id), a.id)).toBe(true);
  });

  it("makes an agent of an organization a member only of queues assigned to it", async () => {
    const a = await createOrganization(organizations, admin, { name: "Alpha" });
    const billing = await createQueue(queues, ACME, { name: "billing", organizationIds: [a.id] });
    const vip = await createQueue(queues, ACME, { name: "vip" });
    const all = await stores.queues.listQueues(ACME);
    expect(() => checkMemberships(a.id, [billing.id], all)).not.toThrow();
    expect(() => checkMemberships(null, [billing.id, vip.id, "queue-gone"], all)).not.toThrow();
    let refused: unknown;
    try {
      checkMemberships(a.id, [billing.id, vip.id, "queue-gone"], all);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: "worker.queue_not_assigned", kind: "invalid" });
    expect((refused as DomainError).fields.map((f) => f.field)).toEqual(["queueIds.1", "queueIds.2"]);

    // After the queue was taken from the organization, or the agent moved, they keep only what is allowed.
    expect(allowedMemberships(a.id, [vip.id, billing.id], all)).toEqual([billing.id]);
    const unassigned = await updateQueue(queues, ACME, billing.id, { organizationIds: [] });
    expect(allowedMemberships(a.id, [billing.id], [unassigned, vip])).toEqual([]);
    expect(allowedMemberships(null, [vip.id, billing.id], all)).toEqual([vip.id, billing.id]);
  });

  it("lets a user of an organization read only conversations of its queues or their own", async () => {
    const a = await createOrganization(organizations, admin, { name: "Alpha" });
    await createQueue(queues, ACME, { name: "alpha line", organizationIds: [a.id] });
    await createQueue(queues, ACME, { name: "vip" });
    const alphaSupervisor = await signedIn("Sue", "supervisor", a.id);
    const alphaAgent = await signedIn("Ann", "agent", a.id);
    const inHouseSupervisor = await signedIn("Ian", "supervisor", null);
    const agentIdentity = alphaAgent.user.identityId;

    let n = 0;
    const conversationIn = async (queue: string, agentId: string | null): Promise<Conversation> => {
      n += 1;
      const now = clock.now();
      const { conversation: created } = await stores.conversations.createConversation({
        id: `conv-${n}`,
        tenantId: ACME,
        threadId: `thread-${n}`,
        channel: "web_chat",
        entryPointId: "entry-1",
        customerIdentityId: `customer-${n}`,
        customerId: null,
        verified: false,
        status: agentId ? "with_agent" : "awaiting_agent",
        intent: null,
        queue,
        handoff: null,
        agentId,
        wrapUpCode: null,
        botState: null,
        createdAt: now,
        updatedAt: now,
        awaitingSince: agentId ? null : now,
        resolvedAt: null,
      });
      return created;
    };
    const ours = await conversationIn("alpha line", null);
    const theirs = await conversationIn("vip", null);
    // Transferred to Ann from in-house: hers, though its queue is not Alpha's.
    const handedToAnn = await conversationIn("vip", agentIdentity);
    const oursWithAnn = await conversationIn("alpha line", agentIdentity);

    const notFound = { code: "conversation.not_found", fields: [] };
    expect(await superviseConversation(conversation, alphaSupervisor.principal, ours.id)).toMatchObject({ id: ours.id });
    expect(await failure(superviseConversation(conversation, alphaSupervisor.principal, theirs.id))).toEqual(notFound);
    expect(await superviseConversation(conversation, inHouseSupervisor.principal, theirs.id)).toMatchObject({ id: theirs.id });
    expect(await superviseConversation(conversation, admin, theirs.id)).toMatchObject({ id: theirs.id });
    expect(await failure(superviseConversation(conversation, alphaAgent.principal, ours.id))).toEqual({
      code: "auth.supervisor_required",
      fields: [],
    });

    expect((await accessConversation(conversation, alphaAgent.principal, handedToAnn.id)).conversation.id).toBe(handedToAnn.id);
    expect((await accessConversation(conversation, alphaAgent.principal, oursWithAnn.id)).conversation.id).toBe(oursWithAnn.id);
    expect(await failure(accessConversation(conversation, alphaAgent.principal, theirs.id))).toEqual(notFound);
    expect(await failure(accessConversation(conversation, alphaSupervisor.principal, theirs.id))).toEqual(notFound);
    // Moved to another organization, Ann still reads what is assigned to her.
    const b = await createOrganization(organizations, admin, { name: "Beta" });
    await updateUser(identity, ACME, alphaAgent.user.id, { organizationId: b.id });
    expect((await accessConversation(conversation, await alphaAgent.reauthenticate(), oursWithAnn.id)).conversation.id).toBe(
      oursWithAnn.id,
    );

    // Lists: admins everything, others their own as today; an organization's users never beyond its queues.
    expect((await listConversations(conversation, admin, {}, { limit: 50 })).items).toHaveLength(4);
    expect((await listConversations(conversation, alphaSupervisor.principal, {}, { limit: 50 })).items).toEqual([]);
  });
});
