import { describe, expect, it } from "vitest";
import {
  CALL_KINDS,
  describeTarget,
  ENTRY_KINDS,
  emptyDirectory,
  KINDS,
  REDIRECT_KINDS,
  subjectField,
  type TargetDirectory,
  targetOfKind,
  withMessage,
} from "./call-targets.js";

const directory: TargetDirectory = {
  queues: [{ id: "q-sales", name: "Sales line" }],
  autoAttendants: [{ id: "aa-1", name: "Main line" }],
  mailboxes: [
    { id: "mb-ana", name: "Ana Lopez", ownerUserId: "u-ana" },
    { id: "mb-general", name: "Northwind general", ownerUserId: null },
  ],
  extensions: [{ extension: "1001", name: "Ana Lopez" }],
  workers: [{ id: "w-ben", name: "Ben Carter" }],
};

describe("call targets", () => {
  it("offers each place the kinds it takes, every one described", () => {
    expect(CALL_KINDS).toEqual(["queue", "auto_attendant", "person", "voicemail", "external_number", "disconnect"]);
    expect([...REDIRECT_KINDS].sort()).toEqual(
      [
        "auto_attendant",
        "disconnect",
        "end",
        "external_number",
        "leave_message",
        "person",
        "queue",
        "voicemail",
        "worker",
      ].sort(),
    );
    expect(ENTRY_KINDS[0]).toBe("flow");
    for (const kind of [...REDIRECT_KINDS, ...ENTRY_KINDS]) expect(KINDS[kind].label).not.toBe("");
  });

  it("starts a kind with the directory's first choice (a shared mailbox for voicemail), or what was typed for it before", () => {
    expect(targetOfKind("queue", directory)).toEqual({ kind: "queue", queueId: "q-sales" });
    expect(targetOfKind("voicemail", directory)).toEqual({ kind: "voicemail", mailboxId: "mb-general" });
    expect(targetOfKind("worker", directory)).toEqual({ kind: "worker", workerId: "w-ben" });
    expect(targetOfKind("flow", directory)).toEqual({ kind: "flow", flow: "demo" });
    expect(targetOfKind("person", directory)).toEqual({ kind: "person", extension: "" });
    expect(targetOfKind("queue", emptyDirectory())).toEqual({ kind: "queue", queueId: "" });
    const typed = { extension: "1002", number: "+15550100", message: "Bye.", queueId: "q-other" };
    expect(targetOfKind("person", directory, typed)).toEqual({ kind: "person", extension: "1002" });
    expect(targetOfKind("external_number", directory, typed)).toEqual({ kind: "external_number", number: "+15550100" });
    expect(targetOfKind("disconnect", directory, typed)).toEqual({ kind: "disconnect", message: "Bye." });
    expect(targetOfKind("disconnect", directory)).toEqual({ kind: "disconnect" });
    expect(targetOfKind("end", directory)).toEqual({ kind: "end", message: "" });
    expect(targetOfKind("queue", directory, typed)).toEqual({ kind: "queue", queueId: "q-other" });
  });

  it("leaves a hang-up's empty message out", () => {
    expect(withMessage({ kind: "disconnect", message: "Bye." }, "")).toEqual({ kind: "disconnect" });
    expect(withMessage({ kind: "disconnect" }, "Bye.")).toEqual({ kind: "disconnect", message: "Bye." });
    expect(withMessage({ kind: "end", message: "a" }, "")).toEqual({ kind: "end", message: "" });
  });

  it("names the field each kind points with (where the server's problems land)", () => {
    expect(subjectField("queue")).toBe("queueId");
    expect(subjectField("voicemail")).toBe("mailboxId");
    expect(subjectField("external_number")).toBe("number");
    expect(subjectField("leave_message")).toBeUndefined();
  });

  it("says where a target goes in words, with names", () => {
    expect(describeTarget({ kind: "queue", queueId: "q-sales" }, directory)).toBe("Queue Sales line");
    expect(describeTarget({ kind: "auto_attendant", autoAttendantId: "aa-1" }, directory)).toBe("Auto attendant Main line");
    expect(describeTarget({ kind: "voicemail", mailboxId: "mb-general" }, directory)).toBe("Voicemail Northwind general");
    expect(describeTarget({ kind: "person", extension: "1001" }, directory)).toBe("Extension 1001 (Ana Lopez)");
    expect(describeTarget({ kind: "person", extension: "1009" }, directory)).toBe("Extension 1009");
    expect(describeTarget({ kind: "external_number", number: "+15550100" }, directory)).toBe("Forward to +15550100");
    expect(describeTarget({ kind: "disconnect" }, directory)).toBe("Hang up");
    expect(describeTarget({ kind: "disconnect", message: "Goodbye." }, directory)).toBe("Hang up after “Goodbye.”");
    expect(describeTarget({ kind: "worker", workerId: "w-ben" }, directory)).toBe("Agent Ben Carter");
    expect(describeTarget({ kind: "end", message: "We are closed." }, directory)).toBe("End with “We are closed.”");
    expect(describeTarget({ kind: "leave_message" }, directory)).toBe("Leave a message");
    expect(describeTarget({ kind: "flow", flow: "demo" }, directory)).toBe("Built-in flow demo");
    expect(describeTarget({ kind: "flow", flow: "later" }, directory)).toBe("Built-in flow later");
    expect(describeTarget({ kind: "queue", queueId: "0123456789abcdef" }, directory)).toBe("Queue (unknown 01234567)");
    expect(describeTarget(null, directory)).toBe("Nowhere");
  });
});
