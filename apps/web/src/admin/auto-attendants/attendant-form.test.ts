import { AutoAttendant } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import {
  attendantInput,
  checkAttendant,
  earlierVersions,
  flowSummary,
  formFromAttendant,
  menuSummary,
  newAttendantForm,
  newOption,
  splitPhrases,
  targetsOf,
} from "./attendant-form.js";
import type { TargetDirectory } from "./call-targets.js";

const directory: TargetDirectory = {
  queues: [
    { id: "q-sales", name: "Sales line" },
    { id: "q-support", name: "Support line" },
  ],
  autoAttendants: [{ id: "aa-1", name: "Northwind main line" }],
  mailboxes: [
    { id: "mb-ana", name: "Ana Lopez", ownerUserId: "u-ana" },
    { id: "mb-general", name: "Northwind general", ownerUserId: null },
  ],
  extensions: [{ extension: "1001", name: "Ana Lopez" }],
  workers: [],
};

const speech = (text: string) => ({ kind: "speech", text }) as const;

// Parsed, so that the defaults the server fills in are there as in its answers.
const attendant: AutoAttendant = AutoAttendant.parse({
  id: "aa-1",
  version: 3,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-02T00:00:00.000Z",
  name: "Northwind main line",
  voice: "en-gb",
  schedule: {
    timeZone: "America/New_York",
    weekly: {
      "1": [
        ["09:00", "12:00"],
        ["13:00", "17:00"],
      ],
      "5": [["09:00", "24:00"]],
    },
    holidays: [{ date: "2026-12-25", name: "Christmas" }],
  },
  businessHours: {
    greeting: speech("Thank you for calling."),
    menu: {
      prompt: speech("For sales, press 1."),
      options: [
        {
          key: "1",
          phrases: ["sales", "buy a bike"],
          action: { kind: "redirect", target: { kind: "queue", queueId: "q-sales" } },
        },
        {
          key: "2",
          action: {
            kind: "submenu",
            menu: {
              prompt: { kind: "recording", recordingId: "rec-1" },
              options: [
                { key: "1", action: { kind: "announcement", announcement: speech("We open at nine.") } },
                // Deeper than the editor edits: kept as it is.
                {
                  key: "9",
                  action: {
                    kind: "submenu",
                    menu: { prompt: speech("Deep."), options: [{ key: "#", action: { kind: "back" } }] },
                  },
                },
              ],
            },
          },
        },
        { key: "0", phrases: ["operator"], action: { kind: "operator" } },
        { key: "*", action: { kind: "voicemail_login" } },
      ],
    },
  },
  afterHours: { greeting: speech("We are closed."), target: { kind: "voicemail", mailboxId: "mb-general" } },
  holiday: null,
  operator: { kind: "person", extension: "1001" },
  speechInput: true,
  noInput: { retries: 1, target: { kind: "disconnect", message: "Goodbye." } },
});

describe("the auto attendant form", () => {
  it("gives back the very configuration it was made from, nested menus and defaults included", () => {
    const { id, version, createdAt, updatedAt, ...settings } = attendant;
    expect(attendantInput(formFromAttendant(attendant, directory))).toEqual(settings);
  });

  it("keeps what is switched off, so that switching it on again loses nothing", () => {
    const form = formFromAttendant(attendant, directory);
    const off = { ...form, scheduled: false, afterHoursOn: false, operatorOn: false };
    expect(attendantInput(off)).toMatchObject({ schedule: null, afterHours: null, operator: null });
    expect(attendantInput({ ...off, scheduled: true, afterHoursOn: true, operatorOn: true })).toEqual(attendantInput(form));
  });

  it("sends a flow's menu or its target, as chosen, and an empty greeting as none", () => {
    const form = formFromAttendant(attendant, directory);
    expect(form.afterHours.mode).toBe("target");
    const direct = attendantInput({
      ...form,
      businessHours: { ...form.businessHours, mode: "target", greeting: { ...form.businessHours.greeting, text: "  " } },
    });
    expect(direct.businessHours).toEqual({ greeting: null, menu: null, target: { kind: "queue", queueId: "q-sales" } });
  });

  it("reads phrases comma separated, in lower case, without empty ones", () => {
    expect(splitPhrases(" Sales,  Buy   a Bike ,, ")).toEqual(["sales", "buy a bike"]);
    expect(splitPhrases("")).toEqual([]);
  });

  it("starts a new attendant with a schedule to switch on, a menu to fill and hang-ups for bad input", () => {
    const form = newAttendantForm(directory, "Europe/Berlin");
    const input = attendantInput({ ...form, name: "Support" });
    expect(input).toMatchObject({
      name: "Support",
      voice: null,
      schedule: null,
      businessHours: { greeting: null, menu: { prompt: { kind: "speech", text: "" }, options: [] }, target: null },
      noInput: { retries: 2, target: { kind: "disconnect" } },
    });
    expect(attendantInput({ ...form, scheduled: true }).schedule).toEqual({
      timeZone: "Europe/Berlin",
      weekly: Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, [["09:00", "17:00"]]])),
      holidays: [],
    });
  });

  it("adds an option on the first free key, sending calls to the first queue", () => {
    const form = formFromAttendant(attendant, directory);
    expect(newOption(form.businessHours.menu, directory)).toMatchObject({
      key: "3",
      phrases: "",
      action: { kind: "redirect", target: { kind: "queue", queueId: "q-sales" } },
    });
    expect(newOption(form.businessHours.menu, { ...directory, queues: [] }).action.target).toEqual({ kind: "disconnect" });
  });

  it("finds every target with the path the server names it by", () => {
    const fields = targetsOf(attendantInput(formFromAttendant(attendant, directory))).map((t) => t.field);
    expect(fields).toEqual([
      "businessHours.menu.options.0.action.target",
      "afterHours.target",
      "operator",
      "noInput.target",
      "invalidInput.target",
    ]);
  });

  it("checks the name, the retries and choices left empty, at the server's paths; the rest is the server's", () => {
    const form = formFromAttendant(attendant, directory);
    expect(checkAttendant(form)).toEqual([]);
    const menu = form.businessHours.menu;
    const broken = {
      ...form,
      name: " ",
      noInput: { ...form.noInput, retries: "6" },
      invalidInput: { ...form.invalidInput, retries: "x" },
      businessHours: {
        ...form.businessHours,
        menu: {
          ...menu,
          options: menu.options.map((o, i) =>
            i === 0 ? { ...o, action: { ...o.action, target: { kind: "voicemail" as const, mailboxId: "" } } } : o,
          ),
        },
      },
    };
    expect(checkAttendant(broken)).toEqual([
      { field: "name", message: "Enter a name." },
      { field: "noInput.retries", message: "A whole number, 0 to 5." },
      { field: "invalidInput.retries", message: "A whole number, 0 to 5." },
      { field: "businessHours.menu.options.0.action.target.mailboxId", message: "Choose a mailbox." },
    ]);
    // Two options on one key is the server's to say (it names the second).
    const first = menu.options[0] as (typeof menu.options)[number];
    const twice = { ...form, businessHours: { ...form.businessHours, menu: { ...menu, options: [first, first] } } };
    expect(checkAttendant(twice)).toEqual([]);
  });

  it("sums up menus and flows in words, with names", () => {
    const menu = attendant.businessHours.menu;
    expect(menu && menuSummary(menu, directory)).toBe(
      "1 Queue Sales line · 2 Another menu (2 options) · 0 The operator · * Voicemail login (listen to messages)",
    );
    expect(flowSummary(attendant.afterHours, directory)).toBe("Voicemail Northwind general");
    expect(flowSummary(null, directory)).toBe("");
  });

  it("lists the earlier versions, newest first", () => {
    expect(earlierVersions(4)).toEqual([3, 2, 1]);
    expect(earlierVersions(1)).toEqual([]);
  });
});
