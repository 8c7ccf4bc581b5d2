import type { BusinessHours, EntryPoint, EntryPointInput } from "@switchboard/protocol";
import { defaultBusinessHours, normalizeBusinessHours, validateBusinessHours } from "./business-hours.js";

/** What the entry point editor edits: the input fields, with business hours kept while switched off. */
export interface EntryPointForm {
  name: string;
  greeting: string;
  handoffQueue: string;
  allowedOrigins: string[];
  enabled: boolean;
  botIdentityId: string | null;
  hoursEnabled: boolean;
  businessHours: BusinessHours;
  afterHoursMessage: string;
}

export function newEntryPointForm(defaultBotId: string | null = null): EntryPointForm {
  return {
    name: "",
    greeting: "Hi! How can we help you today?",
    handoffQueue: "support",
    allowedOrigins: [],
    enabled: true,
    botIdentityId: defaultBotId,
    hoursEnabled: false,
    businessHours: defaultBusinessHours(),
    afterHoursMessage: "We're closed right now. Leave a message and we'll get back to you.",
  };
}

export function formFromEntryPoint(entryPoint: EntryPoint): EntryPointForm {
  return {
    name: entryPoint.name,
    greeting: entryPoint.greeting,
    handoffQueue: entryPoint.handoffQueue,
    allowedOrigins: [...entryPoint.allowedOrigins],
    enabled: entryPoint.enabled,
    botIdentityId: entryPoint.botIdentityId,
    hoursEnabled: entryPoint.businessHours !== null,
    businessHours: entryPoint.businessHours ?? defaultBusinessHours(),
    afterHoursMessage: entryPoint.afterHoursMessage,
  };
}

/** The request body: every field, so a PATCH leaves nothing of the old version behind. */
export function inputFromForm(form: EntryPointForm): EntryPointInput {
  const queue = form.handoffQueue.trim();
  return {
    name: form.name.trim(),
    greeting: form.greeting.trim(),
    ...(queue ? { handoffQueue: queue } : {}),
    allowedOrigins: form.allowedOrigins,
    enabled: form.enabled,
    botIdentityId: form.botIdentityId,
    businessHours: form.hoursEnabled ? normalizeBusinessHours(form.businessHours) : null,
    afterHoursMessage: form.afterHoursMessage.trim(),
  };
}

/** Problems that keep the form from being saved, by field. */
export function validateForm(form: EntryPointForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (form.name.trim() === "") errors.name = "Give the entry point a name.";
  if (form.handoffQueue.trim() === "") errors.handoffQueue = "Name the queue that takes conversations from the bot.";
  if (form.hoursEnabled) {
    const hours = validateBusinessHours(form.businessHours);
    if (Object.keys(hours).length > 0) errors.businessHours = Object.values(hours).join(" ");
  }
  return errors;
}
