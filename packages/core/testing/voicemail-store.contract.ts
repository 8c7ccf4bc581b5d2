import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type IdentityStore, type Mailbox, ManualClock, type VoicemailMessage, type VoicemailStore } from "../src/index.js";
import { expectDomainError } from "./identity-store.contract.js";

/** What the voicemail contract needs: a fresh, empty store per test, with identities to make tenants in. */
export interface VoicemailStoreFixture {
  readonly identities: IdentityStore;
  readonly voicemail: VoicemailStore;
  close(): Promise<void>;
}

const ACME = "tenant-acme";
const GLOBEX = "tenant-globex";

/**
 * The behaviour every `VoicemailStore` shares: mailboxes kept as given, names unique per tenant, one
 * personal mailbox per user, lists by name; messages oldest first, only their heard flag and transcript
 * changing (the transcript also on its own), gone with their mailbox; tenant scoping everywhere.
 */
export function voicemailStoreContract(name: string, make: () => Promise<VoicemailStoreFixture>): void {
  describe(`VoicemailStore contract: ${name}`, () => {
    let fixture: VoicemailStoreFixture;
    let store: VoicemailStore;
    let clock: ManualClock;

    const tick = (): Date => {
      clock.advance(1000);
      return clock.now();
    };

    const mailbox = (id: string, extra: Partial<Mailbox> = {}): Mailbox => {
      const at = tick();
      return {
        id,
        tenantId: ACME,
        name: `mailbox ${id}`,
        ownerUserId: null,
        greeting: null,
        maxMessageSeconds: 120,
        pinHash: null,
        notifyEmails: [],
        createdAt: at,
        updatedAt: at,
        ...extra,
      };
    };

    /** Every part filled. */
    const busy = (id: string, extra: Partial<Mailbox> = {}): Mailbox =>
      mailbox(id, {
        name: "Ada “Lovelace” | personal",
        ownerUserId: "user-ada",
        greeting: { kind: "speech", text: "Ada here.\nLeave a message.", voice: "en-gb" },
        maxMessageSeconds: 600,
        pinHash: "scrypt$16384$8$1$c2FsdA$aGFzaA",
        notifyEmails: ["ada@acme.test", "team+vm@acme.test"],
        ...extra,
      });

    const message = (id: string, mailboxId: string, extra: Partial<VoicemailMessage> = {}): VoicemailMessage => ({
      id,
      tenantId: ACME,
      mailboxId,
      callId: `call-${id}`,
      caller: "+15550123",
      recordingId: `recording-${id}`,
      durationMs: 4520,
      transcript: null,
      heard: false,
      createdAt: tick(),
      ...extra,
    });

    beforeEach(async () => {
      fixture = await make();
      store = fixture.voicemail;
      clock = new ManualClock("2026-03-01T09:00:00.000Z");
      await fixture.identities.createTenant({ id: ACME, slug: "acme", name: "Acme", createdAt: tick() });
      await fixture.identities.createTenant({ id: GLOBEX, slug: "globex", name: "Globex", createdAt: tick() });
    });

    afterEach(async () => {
      await fixture.close();
    });

    it("creates a mailbox and reads it back as given, by id and by owner", async () => {
      const input = busy("mb-1");
      expect(await store.createMailbox(input)).toEqual(input);
      expect(await store.getMailbox(ACME, "mb-1")).toEqual(input);
      expect(await store.findMailboxByOwner(ACME, "user-ada")).toEqual(input);
      const minimal = mailbox("mb-2", { greeting: { kind: "recording", recordingId: "recording-greeting" } });
      expect(await store.createMailbox(minimal)).toEqual(minimal);
      expect(await store.getMailbox(ACME, "mb-2")).toEqual(minimal);
      expect(await store.getMailbox(ACME, "mb-nope")).toBeUndefined();
      expect(await store.findMailboxByOwner(ACME, "user-nope")).toBeUndefined();
    });

    it("refuses a name or an owner the tenant has already, but not one another tenant has", async () => {
      const first = await store.createMailbox(busy("mb-1", { name: "sales" }));
      await expectDomainError(store.createMailbox(mailbox("mb-2", { name: "sales" })), "mailbox.name_taken");
      await expectDomainError(store.createMailbox(mailbox("mb-3", { ownerUserId: "user-ada" })), "mailbox.owner_taken");
      expect(await store.getMailbox(ACME, "mb-2")).toBeUndefined();
      expect(await store.getMailbox(ACME, "mb-3")).toBeUndefined();
      // Shared mailboxes have no owner: any number of them.
      const shared = [
        await store.createMailbox(mailbox("mb-4", { name: "a" })),
        await store.createMailbox(mailbox("mb-5", { name: "b" })),
      ];
      const other = await store.createMailbox(busy("mb-6", { name: "sales", tenantId: GLOBEX }));
      expect(await store.listMailboxes(ACME)).toEqual([...shared, first]);
      expect(await store.listMailboxes(GLOBEX)).toEqual([other]);
      expect(await store.findMailboxByOwner(GLOBEX, "user-ada")).toEqual(other);
    });

    it("updates everything but when it was created, and refuses another mailbox's name or owner", async () => {
      const original = await store.createMailbox(mailbox("mb-1", { name: "a" }));
      const b = await store.createMailbox(busy("mb-2", { name: "b" }));
      const at = tick();
      const changed = busy("mb-1", { name: "c", ownerUserId: "user-bob", createdAt: at, updatedAt: at });
      const expected = { ...changed, createdAt: original.createdAt };
      expect(await store.updateMailbox(changed)).toEqual(expected);
      expect(await store.getMailbox(ACME, "mb-1")).toEqual(expected);
      expect(await store.findMailboxByOwner(ACME, "user-bob")).toEqual(expected);
      const back = { ...original, updatedAt: tick() };
      expect(await store.updateMailbox(back)).toEqual(back);
      expect(await store.findMailboxByOwner(ACME, "user-bob")).toBeUndefined();
      await expectDomainError(store.updateMailbox({ ...back, name: "b" }), "mailbox.name_taken");
      await expectDomainError(store.updateMailbox({ ...back, ownerUserId: "user-ada" }), "mailbox.owner_taken");
      expect(await store.getMailbox(ACME, "mb-1")).toEqual(back);
      expect(await store.getMailbox(ACME, "mb-2")).toEqual(b);
    });

    it("does not let one tenant read, change or delete another's mailbox", async () => {
      const original = await store.createMailbox(busy("mb-1"));
      expect(await store.getMailbox(GLOBEX, "mb-1")).toBeUndefined();
      expect(await store.findMailboxByOwner(GLOBEX, "user-ada")).toBeUndefined();
      await expectDomainError(store.updateMailbox({ ...original, tenantId: GLOBEX, name: "hijacked" }), "mailbox.not_found");
      await expectDomainError(store.updateMailbox(mailbox("mb-nope")), "mailbox.not_found");
      expect(await store.deleteMailbox(GLOBEX, "mb-1")).toBe(false);
      expect(await store.getMailbox(ACME, "mb-1")).toEqual(original);
    });

    it("deletes a mailbox with its messages, once", async () => {
      await store.createMailbox(mailbox("mb-1"));
      const kept = await store.createMailbox(mailbox("mb-2"));
      await store.addMessage(message("m-1", "mb-1"));
      const other = await store.addMessage(message("m-2", "mb-2"));
      expect(await store.deleteMailbox(ACME, "mb-1")).toBe(true);
      expect(await store.deleteMailbox(ACME, "mb-1")).toBe(false);
      expect(await store.getMailbox(ACME, "mb-1")).toBeUndefined();
      expect(await store.getMessage(ACME, "m-1")).toBeUndefined();
      expect(await store.listMessages(ACME, "mb-1")).toEqual([]);
      expect(await store.listMailboxes(ACME)).toEqual([kept]);
      expect(await store.listMessages(ACME, "mb-2")).toEqual([other]);
    });

    it("keeps messages as left and lists a mailbox's oldest first", async () => {
      await store.createMailbox(mailbox("mb-1"));
      await store.createMailbox(mailbox("mb-2"));
      const second = message("m-2", "mb-1", { transcript: "Call me back, “please”.\nBye." });
      const first = message("m-1", "mb-1", { createdAt: new Date(second.createdAt.getTime() - 60_000), caller: "1001" });
      const elsewhere = message("m-3", "mb-2", { heard: true, durationMs: 0 });
      expect(await store.addMessage(second)).toEqual(second);
      expect(await store.addMessage(first)).toEqual(first);
      expect(await store.addMessage(elsewhere)).toEqual(elsewhere);
      expect(await store.getMessage(ACME, "m-2")).toEqual(second);
      expect(await store.listMessages(ACME, "mb-1")).toEqual([first, second]);
      expect(await store.listMessages(ACME, "mb-2")).toEqual([elsewhere]);
      expect(await store.listMessages(ACME, "mb-nope")).toEqual([]);
      expect(await store.getMessage(ACME, "m-nope")).toBeUndefined();
    });

    it("refuses a message for a mailbox the tenant does not have", async () => {
      await store.createMailbox(mailbox("mb-1", { tenantId: GLOBEX }));
      await expectDomainError(store.addMessage(message("m-1", "mb-1")), "mailbox.not_found");
      await expectDomainError(store.addMessage(message("m-2", "mb-nope")), "mailbox.not_found");
      await expectDomainError(store.addMessage(message("m-3", "mb-1", { tenantId: "tenant-nope" })), "mailbox.not_found");
      expect(await store.getMessage(ACME, "m-1")).toBeUndefined();
      expect(await store.listMessages(GLOBEX, "mb-1")).toEqual([]);
    });

    it("changes only whether a message was heard and its transcript", async () => {
      await store.createMailbox(mailbox("mb-1"));
      await store.createMailbox(mailbox("mb-2"));
      const original = await store.addMessage(message("m-1", "mb-1"));
      const heard = { ...original, heard: true, transcript: "Hello there." };
      expect(await store.updateMessage(heard)).toEqual(heard);
      expect(await store.getMessage(ACME, "m-1")).toEqual(heard);
      const tampered = { ...heard, heard: false, mailboxId: "mb-2", caller: "+1999", recordingId: "other", createdAt: tick() };
      expect(await store.updateMessage(tampered)).toEqual({ ...heard, heard: false });
      expect(await store.listMessages(ACME, "mb-2")).toEqual([]);
      await expectDomainError(store.updateMessage(message("m-nope", "mb-1")), "voicemail_message.not_found");
    });

    it("keeps a transcript without touching the rest, nor another tenant's message", async () => {
      await store.createMailbox(mailbox("mb-1"));
      const original = await store.addMessage(message("m-1", "mb-1"));
      // Marked heard while it was transcribed: the transcript does not undo that.
      const heard = await store.updateMessage({ ...original, heard: true });
      const text = "Hi, this is John “calling” about my order.\nPlease call me back.";
      expect(await store.setTranscript(ACME, "m-1", text)).toEqual({ ...heard, transcript: text });
      expect(await store.getMessage(ACME, "m-1")).toEqual({ ...heard, transcript: text });
      expect(await store.setTranscript(GLOBEX, "m-1", "hijacked")).toBeUndefined();
      expect(await store.setTranscript(ACME, "m-nope", "nobody")).toBeUndefined();
      expect(await store.getMessage(ACME, "m-1")).toEqual({ ...heard, transcript: text });
      expect(await store.setTranscript(ACME, "m-1", null)).toEqual(heard);
      expect(await store.deleteMessage(ACME, "m-1")).toBe(true);
      expect(await store.setTranscript(ACME, "m-1", text)).toBeUndefined();
      expect(await store.getMessage(ACME, "m-1")).toBeUndefined();
    });

    it("does not let one tenant read, change or delete another's messages", async () => {
      await store.createMailbox(mailbox("mb-1"));
      const original = await store.addMessage(message("m-1", "mb-1"));
      expect(await store.getMessage(GLOBEX, "m-1")).toBeUndefined();
      expect(await store.listMessages(GLOBEX, "mb-1")).toEqual([]);
      await expectDomainError(store.updateMessage({ ...original, tenantId: GLOBEX, heard: true }), "voicemail_message.not_found");
      expect(await store.deleteMessage(GLOBEX, "m-1")).toBe(false);
      expect(await store.getMessage(ACME, "m-1")).toEqual(original);
    });

    it("deletes a message once", async () => {
      await store.createMailbox(mailbox("mb-1"));
      await store.addMessage(message("m-1", "mb-1"));
      const kept = await store.addMessage(message("m-2", "mb-1"));
      expect(await store.deleteMessage(ACME, "m-1")).toBe(true);
      expect(await store.deleteMessage(ACME, "m-1")).toBe(false);
      expect(await store.getMessage(ACME, "m-1")).toBeUndefined();
      expect(await store.listMessages(ACME, "mb-1")).toEqual([kept]);
    });

    it("refuses a mailbox of a tenant that does not exist", async () => {
      await expectDomainError(store.createMailbox(mailbox("mb-1", { tenantId: "tenant-nope" })), "tenant.not_found");
      expect(await store.listMailboxes("tenant-nope")).toEqual([]);
    });
  });
}
