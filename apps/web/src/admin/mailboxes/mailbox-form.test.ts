import type { Mailbox, VoicemailMessage } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import {
  formatMessageDuration,
  formFromMailbox,
  mailboxInput,
  mailboxPatch,
  messageCount,
  newestFirst,
  normalizeEmail,
  ownerChoices,
  ownerLabel,
  validateMailbox,
} from "./mailbox-form.js";

const shared: Mailbox = {
  id: "mb-1",
  name: "Support voicemail",
  ownerUserId: null,
  greeting: { kind: "speech", text: "Leave a message." },
  maxMessageSeconds: 120,
  hasPin: true,
  notifyEmails: ["team@example.com"],
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

const users = [
  { id: "u-ana", displayName: "Ana Lopez" },
  { id: "u-ben", displayName: "Ben Carter" },
];

describe("the mailbox form", () => {
  it("saves only what changed; the PIN only when one is typed or removed", () => {
    const form = formFromMailbox(shared);
    expect(form.pin).toBe("");
    expect(mailboxPatch(shared, form)).toEqual({});
    expect(mailboxPatch(shared, { ...form, name: " Support ", maxMessageSeconds: "60" })).toEqual({
      name: "Support",
      maxMessageSeconds: 60,
    });
    expect(mailboxPatch(shared, { ...form, pin: "4321" })).toEqual({ pin: "4321" });
    expect(mailboxPatch(shared, { ...form, pin: "4321", removePin: true })).toEqual({ pin: null });
    expect(mailboxPatch({ ...shared, hasPin: false }, { ...form, removePin: true })).toEqual({});
    expect(mailboxPatch(shared, { ...form, greeting: { ...form.greeting, text: "" } })).toEqual({ greeting: null });
    expect(mailboxPatch(shared, { ...form, ownerUserId: "u-ana", notifyEmails: [] })).toEqual({
      ownerUserId: "u-ana",
      notifyEmails: [],
    });
  });

  it("creates a shared mailbox with the standard greeting unless told otherwise", () => {
    const form = { ...formFromMailbox(undefined), name: "Sales voicemail" };
    expect(mailboxInput(form)).toEqual({
      name: "Sales voicemail",
      ownerUserId: null,
      greeting: null,
      maxMessageSeconds: 120,
      notifyEmails: [],
    });
    expect(mailboxInput({ ...form, pin: "1234", ownerUserId: "u-ben" })).toMatchObject({ pin: "1234", ownerUserId: "u-ben" });
    expect(validateMailbox(form)).toEqual({});
  });

  it("finds what the server would refuse", () => {
    const form = formFromMailbox(undefined);
    expect(Object.keys(validateMailbox({ ...form, maxMessageSeconds: "5", pin: "12a" })).sort()).toEqual([
      "maxMessageSeconds",
      "name",
      "pin",
    ]);
    // A PIN being removed is not checked.
    expect(validateMailbox({ ...form, name: "x", pin: "1", removePin: true })).toEqual({});
    expect(normalizeEmail(" Team@Example.com ")).toEqual({ value: "team@example.com" });
    expect(normalizeEmail("team")).toHaveProperty("error");
  });

  it("offers as owners the users without a personal mailbox, and says whose one is", () => {
    const personal = { ...shared, id: "mb-ana", ownerUserId: "u-ana" };
    expect(ownerChoices(users, [shared, personal], undefined).map((c) => c.value)).toEqual(["", "u-ben"]);
    expect(ownerChoices(users, [shared, personal], personal).map((c) => c.value)).toEqual(["", "u-ana", "u-ben"]);
    expect(ownerLabel(personal, users)).toBe("Ana Lopez");
    expect(ownerLabel(shared, users)).toBe("Shared");
    expect(ownerLabel({ ownerUserId: "u-gone" }, users)).toBe("A former user");
  });

  it("shows messages newest first, with their length and how many are new", () => {
    const message = (id: string, createdAt: string, heard: boolean): VoicemailMessage => ({
      id,
      mailboxId: "mb-1",
      callId: `call-${id}`,
      caller: "+15550123",
      recordingId: `rec-${id}`,
      durationMs: 7_400,
      transcript: null,
      heard,
      createdAt,
    });
    const messages = [message("a", "2026-01-01T10:00:00.000Z", true), message("b", "2026-01-02T10:00:00.000Z", false)];
    expect(newestFirst(messages).map((m) => m.id)).toEqual(["b", "a"]);
    expect(messageCount(messages)).toBe("2 messages, 1 new");
    expect(messageCount([messages[0] as VoicemailMessage])).toBe("1 message");
    expect(formatMessageDuration(7_400)).toBe("0:07");
    expect(formatMessageDuration(125_000)).toBe("2:05");
  });
});
