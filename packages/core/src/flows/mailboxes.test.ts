import { createMemoryStores, MemoryRecordingStore, newAgent, plainPasswords } from "@switchboard/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "../identity/model.js";
import { ManualClock } from "../kernel/clock.js";
import { DomainError } from "../kernel/domain-error.js";
import { SequentialIds } from "../kernel/ids.js";
import { createQueue, updateQueue } from "../queues/queues.js";
import { createAutoAttendant } from "./auto-attendants.js";
import type { FlowDeps } from "./deps.js";
import {
  createMailbox,
  deleteMailbox,
  deleteVoicemailMessage,
  getMailbox,
  getVoicemailMessage,
  listMailboxes,
  listVoicemailMessages,
  markVoicemailMessage,
  updateMailbox,
} from "./mailboxes.js";
import type { VoicemailMessage } from "./model.js";
import { voicemailEmails } from "./notifications.js";

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";
const admin: Principal = { kind: "api_key", tenantId: ACME, apiKeyId: "key-1" };
const globexAdmin: Principal = { kind: "api_key", tenantId: GLOBEX, apiKeyId: "key-2" };
const ada: Principal = {
  kind: "identity",
  tenantId: ACME,
  identityId: "identity-ada",
  scopes: ["chat", "voip"],
  userId: "user-ada",
  role: "agent",
};
const bob: Principal = {
  kind: "identity",
  tenantId: ACME,
  identityId: "identity-bob",
  scopes: ["chat", "voip"],
  userId: "user-bob",
  role: "agent",
};
const supervisor: Principal = { ...bob, role: "supervisor" };
const customer: Principal = { kind: "identity", tenantId: ACME, identityId: "identity-c", scopes: ["chat"] };

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) =>
      e instanceof DomainError
        ? `${e.kind}:${e.code}${e.fields.length ? ` [${e.fields.map((f) => f.field).join(",")}]` : ""}`
        : String(e),
  );

describe("mailboxes and voicemail messages", () => {
  let deps: FlowDeps;
  let clock: ManualClock;
  let stores: ReturnType<typeof createMemoryStores>;

  const message = async (mailboxId: string, extra: Partial<VoicemailMessage> = {}) => {
    clock.advance(1000);
    return deps.voicemail.addMessage({
      id: deps.ids.next(),
      tenantId: ACME,
      mailboxId,
      callId: "call-1",
      caller: "+15550123",
      recordingId: "recording-1",
      durationMs: 3000,
      transcript: null,
      heard: false,
      createdAt: clock.now(),
      ...extra,
    });
  };

  beforeEach(async () => {
    stores = createMemoryStores();
    clock = new ManualClock("2026-03-02T09:00:00.000Z");
    for (const [id, slug] of [
      [ACME, "acme"],
      [GLOBEX, "globex"],
    ] as const) {
      await stores.identities.createTenant({ id, slug, name: slug, createdAt: clock.now() });
    }
    for (const [tenantId, name] of [
      [ACME, "ada"],
      [ACME, "bob"],
      [GLOBEX, "gus"],
    ] as const) {
      await stores.identities.createUser(newAgent(tenantId, name, clock.now()));
    }
    deps = {
      autoAttendants: stores.autoAttendants,
      voicemail: stores.voicemail,
      queues: stores.queues,
      users: stores.identities,
      passwords: plainPasswords,
      clock,
      ids: new SequentialIds("id"),
    };
  });

  it("creates shared and personal mailboxes with defaults, keeping only a hash of the PIN", async () => {
    const shared = await createMailbox(deps, admin, { name: "  Sales  ", notifyEmails: ["sales@acme.test"] });
    expect(shared).toMatchObject({
      tenantId: ACME,
      name: "Sales",
      ownerUserId: null,
      greeting: null,
      maxMessageSeconds: 120,
      pinHash: null,
      notifyEmails: ["sales@acme.test"],
    });
    const personal = await createMailbox(deps, admin, {
      name: "Ada",
      ownerUserId: "user-ada",
      pin: "4321",
      maxMessageSeconds: 300,
      greeting: { kind: "speech", text: "Ada here." },
    });
    expect(personal).toMatchObject({ ownerUserId: "user-ada", pinHash: "h:4321", maxMessageSeconds: 300 });
    expect(await getMailbox(deps, admin, personal.id)).toEqual(personal);
    expect(await listMailboxes(deps, admin)).toEqual([personal, shared]);
  });

  it("refuses an invalid mailbox, a user of another tenant, and a second personal mailbox", async () => {
    expect(
      await failure(
        createMailbox(deps, admin, { name: "", pin: "12", maxMessageSeconds: 5, notifyEmails: ["x"], ownerUserId: "user-nope" }),
      ),
    ).toBe("invalid:mailbox.invalid [name,maxMessageSeconds,notifyEmails.0,pin,ownerUserId]");
    expect(await failure(createMailbox(deps, admin, { name: "Gus", ownerUserId: "user-gus" }))).toBe(
      "invalid:mailbox.invalid [ownerUserId]",
    );
    await createMailbox(deps, admin, { name: "Ada", ownerUserId: "user-ada" });
    expect(await failure(createMailbox(deps, admin, { name: "Ada 2", ownerUserId: "user-ada" }))).toBe(
      "conflict:mailbox.owner_taken",
    );
    expect(await failure(createMailbox(deps, admin, { name: "Ada" }))).toBe("conflict:mailbox.name_taken");
  });

  it("changes the fields given; a PIN left out stays, null removes it", async () => {
    const box = await createMailbox(deps, admin, { name: "Ada", ownerUserId: "user-ada", pin: "1234" });
    clock.advance(5000);
    const renamed = await updateMailbox(deps, admin, box.id, { name: "Ada L.", notifyEmails: ["ada@acme.test"] });
    expect(renamed).toMatchObject({
      name: "Ada L.",
      pinHash: "h:1234",
      ownerUserId: "user-ada",
      notifyEmails: ["ada@acme.test"],
    });
    expect(renamed.updatedAt).toEqual(clock.now());
    expect((await updateMailbox(deps, admin, box.id, { pin: "98765" })).pinHash).toBe("h:98765");
    expect(await updateMailbox(deps, admin, box.id, { pin: null, ownerUserId: null })).toMatchObject({
      pinHash: null,
      ownerUserId: null,
    });
    expect(await failure(updateMailbox(deps, admin, box.id, { pin: "abcd", maxMessageSeconds: 601 }))).toBe(
      "invalid:mailbox.invalid [maxMessageSeconds,pin]",
    );
    expect(await failure(updateMailbox(deps, ada, box.id, { name: "mine" }))).toBe("forbidden:auth.admin_required");
  });

  it("lets an owner see their own mailbox and its messages, and nobody else but admins", async () => {
    const own = await createMailbox(deps, admin, { name: "Ada", ownerUserId: "user-ada" });
    const shared = await createMailbox(deps, admin, { name: "Sales" });
    const first = await message(own.id);
    const second = await message(own.id, { caller: "1002" });
    const sharedMessage = await message(shared.id);

    expect(await listMailboxes(deps, ada)).toEqual([own]);
    expect(await listMailboxes(deps, bob)).toEqual([]);
    expect(await listMailboxes(deps, customer)).toEqual([]);
    expect(await getMailbox(deps, ada, own.id)).toEqual(own);
    expect(await listVoicemailMessages(deps, ada, own.id)).toEqual([first, second]);
    expect(await getVoicemailMessage(deps, ada, first.id)).toEqual(first);

    for (const who of [bob, supervisor, customer]) {
      expect(await failure(getMailbox(deps, who, own.id))).toBe("not_found:mailbox.not_found");
      expect(await failure(listVoicemailMessages(deps, who, own.id))).toBe("not_found:mailbox.not_found");
      expect(await failure(getVoicemailMessage(deps, who, first.id))).toBe("not_found:voicemail_message.not_found");
      expect(await failure(markVoicemailMessage(deps, who, first.id, { heard: true }))).toBe(
        "not_found:voicemail_message.not_found",
      );
      expect(await failure(deleteVoicemailMessage(deps, who, first.id))).toBe("not_found:voicemail_message.not_found");
    }
    // A shared mailbox is the admins'.
    expect(await failure(listVoicemailMessages(deps, ada, shared.id))).toBe("not_found:mailbox.not_found");
    expect(await listVoicemailMessages(deps, admin, shared.id)).toEqual([sharedMessage]);
  });

  it("marks messages heard and new again, and deletes them", async () => {
    const own = await createMailbox(deps, admin, { name: "Ada", ownerUserId: "user-ada" });
    const left = await message(own.id);
    const heard = await markVoicemailMessage(deps, ada, left.id, { heard: true });
    expect(heard).toEqual({ ...left, heard: true });
    expect(await markVoicemailMessage(deps, admin, left.id, { heard: true })).toEqual(heard);
    expect((await markVoicemailMessage(deps, admin, left.id, { heard: false })).heard).toBe(false);
    await deleteVoicemailMessage(deps, ada, left.id);
    expect(await failure(getVoicemailMessage(deps, admin, left.id))).toBe("not_found:voicemail_message.not_found");
    expect(await listVoicemailMessages(deps, admin, own.id)).toEqual([]);
  });

  it("deletes a message's audio with it, and the audio of a mailbox's messages with the mailbox", async () => {
    const recordings = new MemoryRecordingStore();
    deps = { ...deps, recordings };
    const recorded = async (mailboxId: string) => {
      const recording = await recordings.save({ tenantId: ACME, audio: new Int16Array(800) });
      return message(mailboxId, { recordingId: recording.id });
    };
    const own = await createMailbox(deps, admin, { name: "Ada", ownerUserId: "user-ada" });
    const shared = await createMailbox(deps, admin, { name: "Sales" });
    const first = await recorded(own.id);
    const kept = await recorded(own.id);
    await recorded(shared.id);
    await recorded(shared.id);
    const greeting = await recordings.save({ tenantId: ACME, audio: new Int16Array(800) });

    expect(await failure(deleteVoicemailMessage(deps, bob, first.id))).toBe("not_found:voicemail_message.not_found");
    expect(await recordings.audio(ACME, first.recordingId)).toBeDefined();
    await deleteVoicemailMessage(deps, ada, first.id);
    expect(await recordings.audio(ACME, first.recordingId)).toBeUndefined();
    await deleteMailbox(deps, admin, shared.id);
    // Only the audio of what was deleted: the other message's and an uploaded greeting stay.
    expect(recordings.recordings.map((r) => r.id)).toEqual([kept.recordingId, greeting.id]);
  });

  it("keeps tenants apart", async () => {
    const box = await createMailbox(deps, admin, { name: "Sales" });
    const left = await message(box.id);
    expect(await failure(getMailbox(deps, globexAdmin, box.id))).toBe("not_found:mailbox.not_found");
    expect(await failure(updateMailbox(deps, globexAdmin, box.id, { name: "x" }))).toBe("not_found:mailbox.not_found");
    expect(await failure(deleteMailbox(deps, globexAdmin, box.id))).toBe("not_found:mailbox.not_found");
    expect(await failure(listVoicemailMessages(deps, globexAdmin, box.id))).toBe("not_found:mailbox.not_found");
    expect(await failure(getVoicemailMessage(deps, globexAdmin, left.id))).toBe("not_found:voicemail_message.not_found");
    expect(await failure(markVoicemailMessage(deps, globexAdmin, left.id, { heard: true }))).toBe(
      "not_found:voicemail_message.not_found",
    );
    expect(await failure(deleteVoicemailMessage(deps, globexAdmin, left.id))).toBe("not_found:voicemail_message.not_found");
    expect(await listMailboxes(deps, globexAdmin)).toEqual([]);
  });

  it("refuses to delete a mailbox an attendant or a queue sends calls to; deleting takes its messages", async () => {
    const box = await createMailbox(deps, admin, { name: "Sales" });
    await message(box.id);
    const attendant = await createAutoAttendant(deps, admin, {
      name: "Main",
      businessHours: { greeting: null, menu: null, target: { kind: "voicemail", mailboxId: box.id } },
    });
    expect(await failure(deleteMailbox(deps, admin, box.id))).toBe("conflict:mailbox.in_use");
    await deps.autoAttendants.deleteAutoAttendant(ACME, attendant.id);
    const queues = {
      queues: stores.queues,
      organizations: stores.organizations,
      clock,
      ids: deps.ids,
      voicemail: stores.voicemail,
    };
    const queue = await createQueue(queues, ACME, {
      name: "support",
      overflow: { threshold: 3, target: { kind: "voicemail", mailboxId: box.id } },
    });
    expect(await failure(deleteMailbox(deps, admin, box.id))).toBe("conflict:mailbox.in_use");
    await updateQueue(queues, ACME, queue.id, { overflow: null });
    await deleteMailbox(deps, admin, box.id);
    expect(await failure(getMailbox(deps, admin, box.id))).toBe("not_found:mailbox.not_found");
    expect(await stores.voicemail.listMessages(ACME, box.id)).toEqual([]);
  });
});

describe("voicemail notifications", () => {
  it("writes one email per recipient with the caller, the time and the length", () => {
    const mailbox = {
      id: "box",
      tenantId: "t",
      name: "Sales team",
      ownerUserId: null,
      greeting: null,
      maxMessageSeconds: 120,
      pinHash: null,
      notifyEmails: ["a@example.com", "b@example.com"],
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    const message = {
      id: "m",
      tenantId: "t",
      mailboxId: "box",
      callId: "c",
      caller: "+15557654321",
      recordingId: "r",
      durationMs: 12_400,
      transcript: null,
      heard: false,
      createdAt: new Date("2026-11-27T09:30:00Z"),
    };
    const emails = voicemailEmails(message, mailbox, { companyName: "Northwind" });
    expect(emails.map((e) => e.to)).toEqual(["a@example.com", "b@example.com"]);
    expect(emails[0]?.subject).toBe("Voicemail from +15557654321 (12 s)");
    expect(emails[0]?.text).toContain("New voicemail in Sales team (Northwind)");
    expect(emails[0]?.text).toContain("Received: 2026-11-27 09:30 UTC");
  });
});
