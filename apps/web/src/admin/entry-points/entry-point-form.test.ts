import type { EntryPoint } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { formFromEntryPoint, inputFromForm, newEntryPointForm, validateForm } from "./entry-point-form.js";

const entryPoint: EntryPoint = {
  id: "ep_1",
  name: "Website",
  channel: "web_chat",
  botIdentityId: "idn_bot",
  greeting: "Hi!",
  businessHours: null,
  afterHoursMessage: "Closed.",
  handoffQueue: "support",
  allowedOrigins: ["https://www.example.com"],
  enabled: true,
  embedCode: '<script src="http://sb.test/widget.js" data-entry-point="ep_1" async></script>',
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
};

describe("the entry point form", () => {
  it("sends back what it was given, every field, hours switched off as null", () => {
    expect(inputFromForm(formFromEntryPoint(entryPoint))).toEqual({
      name: "Website",
      greeting: "Hi!",
      handoffQueue: "support",
      allowedOrigins: ["https://www.example.com"],
      enabled: true,
      botIdentityId: "idn_bot",
      businessHours: null,
      afterHoursMessage: "Closed.",
    });
  });

  it("keeps hours while switched off, and sends them normalized once on", () => {
    const form = formFromEntryPoint(entryPoint);
    expect(form.hoursEnabled).toBe(false);
    const on = {
      ...form,
      hoursEnabled: true,
      businessHours: { timeZone: "UTC", weekly: { 1: [["09:00", "17:00"]] as [string, string][], 2: [] } },
    };
    expect(inputFromForm(on).businessHours).toEqual({ timeZone: "UTC", weekly: { 1: [["09:00", "17:00"]] } });
    expect(inputFromForm({ ...on, botIdentityId: null }).botIdentityId).toBeNull();
  });

  it("needs a name and a queue, and valid hours when they are on", () => {
    const fresh = newEntryPointForm("idn_bot");
    expect(fresh.botIdentityId).toBe("idn_bot");
    expect(Object.keys(validateForm(fresh))).toEqual(["name"]);
    const errors = validateForm({
      ...fresh,
      name: "Shop",
      handoffQueue: " ",
      hoursEnabled: true,
      businessHours: { timeZone: "UTC", weekly: { 1: [["18:00", "09:00"]] } },
    });
    expect(Object.keys(errors).sort()).toEqual(["businessHours", "handoffQueue"]);
  });
});
