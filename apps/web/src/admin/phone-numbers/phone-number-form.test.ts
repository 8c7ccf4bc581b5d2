import type { PhoneNumber } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { formFromNumber, newNumberForm, numberInput, numberPatch, validateNumber } from "./phone-number-form.js";

const main: PhoneNumber = {
  id: "n1",
  e164: "+15550101",
  label: "Main line",
  entry: { kind: "auto_attendant", autoAttendantId: "aa-1" },
  trunkId: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

describe("the phone number form", () => {
  it("answers a new number with the demo flow until told otherwise", () => {
    const form = { ...newNumberForm(), e164: " +15550199 " };
    expect(numberInput(form)).toEqual({ e164: "+15550199", label: "", entry: { kind: "flow", flow: "demo" }, trunkId: null });
    expect(validateNumber(form, true)).toEqual({});
    expect(validateNumber(newNumberForm(), true)).toEqual({ e164: "Enter the number." });
  });

  it("saves only what changed: the entry whole, any call target", () => {
    const form = formFromNumber(main);
    expect(numberPatch(main, form)).toEqual({});
    expect(numberPatch(main, { ...form, entry: { kind: "queue", queueId: "q-sales" } })).toEqual({
      entry: { kind: "queue", queueId: "q-sales" },
    });
    expect(numberPatch(main, { ...form, label: " Sales ", trunkId: "t1" })).toEqual({ label: "Sales", trunkId: "t1" });
    expect(numberPatch(main, { ...form, entry: { kind: "auto_attendant", autoAttendantId: "aa-1" } })).toEqual({});
  });

  it("asks for a choice where the list had none", () => {
    const form = formFromNumber(main);
    expect(validateNumber({ ...form, entry: { kind: "voicemail", mailboxId: "" } }, false)).toEqual({
      "entry.mailboxId": "Choose a mailbox.",
    });
    expect(validateNumber({ ...form, entry: { kind: "flow", flow: " " } }, false)).toEqual({
      "entry.flow": "Name the flow that answers.",
    });
  });
});
