import type { NumberEntry, PhoneNumber, PhoneNumberInput, PhoneNumberPatch } from "@switchboard/protocol";
import type { Target } from "../auto-attendants/call-targets.js";

/** A number as its editor holds it. */
export interface NumberForm {
  e164: string;
  label: string;
  /** What answers: a built-in flow, or any call target. */
  entry: NumberEntry;
  /** Null: the platform's carrier. */
  trunkId: string | null;
}

/** A new number is answered by the demo flow until another is chosen. */
export const newNumberForm = (): NumberForm => ({ e164: "", label: "", entry: { kind: "flow", flow: "demo" }, trunkId: null });

export const formFromNumber = (number: PhoneNumber): NumberForm => ({
  e164: number.e164,
  label: number.label,
  entry: number.entry,
  trunkId: number.trunkId,
});

/** Problems to fix before asking the server (which checks the E.164 format and the targets). */
export function validateNumber(form: NumberForm, isNew: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (isNew && form.e164.trim() === "") errors.e164 = "Enter the number.";
  const entry = form.entry as Target;
  if (entry.kind === "flow" && entry.flow.trim() === "") errors["entry.flow"] = "Name the flow that answers.";
  if (entry.kind === "queue" && entry.queueId === "") errors["entry.queueId"] = "Choose a queue.";
  if (entry.kind === "auto_attendant" && entry.autoAttendantId === "")
    errors["entry.autoAttendantId"] = "Choose an auto attendant.";
  if (entry.kind === "voicemail" && entry.mailboxId === "") errors["entry.mailboxId"] = "Choose a mailbox.";
  return errors;
}

export const numberInput = (form: NumberForm): PhoneNumberInput => ({
  e164: form.e164.trim(),
  label: form.label.trim(),
  entry: form.entry,
  trunkId: form.trunkId,
});

/** Only what changed (the number itself is not edited: another number is another entry). Empty: nothing to save. */
export function numberPatch(number: PhoneNumber, form: NumberForm): PhoneNumberPatch {
  const label = form.label.trim();
  return {
    ...(label !== number.label ? { label } : {}),
    ...(JSON.stringify(form.entry) !== JSON.stringify(number.entry) ? { entry: form.entry } : {}),
    ...(form.trunkId !== number.trunkId ? { trunkId: form.trunkId } : {}),
  };
}
