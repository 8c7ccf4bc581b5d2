import { describe, expect, it } from "vitest";
import type { FieldIssue } from "../kernel/domain-error.js";
import type { AttendantFlow, AutoAttendantSettings, CallQueueSettings, Menu, Schedule } from "./model.js";
import { defaultCallQueueSettings } from "./model.js";
import {
  attendantTargets,
  checkAutoAttendantSettings,
  checkCallQueueSettings,
  checkMailboxSettings,
  checkSchedule,
  checkTargetsExist,
  isValidDate,
} from "./validate.js";

const say = (text: string) => ({ kind: "speech" as const, text });

const menu = (options: Menu["options"]): Menu => ({ prompt: say("Press 1 for sales."), options });

const settings = (extra: Partial<AutoAttendantSettings> = {}): AutoAttendantSettings => ({
  name: "Main line",
  voice: null,
  schedule: null,
  businessHours: {
    greeting: say("Welcome."),
    menu: menu([{ key: "1", phrases: ["sales"], action: { kind: "redirect", target: { kind: "queue", queueId: "q-1" } } }]),
    target: null,
  },
  afterHours: null,
  holiday: null,
  operator: null,
  speechInput: false,
  noInput: { retries: 2, target: { kind: "disconnect" } },
  invalidInput: { retries: 2, target: { kind: "disconnect" } },
  ...extra,
});

const fields = (issues: readonly FieldIssue[]) => issues.map((i) => i.field);

const scheduleIssues = (schedule: Schedule) => {
  const issues: FieldIssue[] = [];
  checkSchedule(schedule, "schedule", issues);
  return fields(issues);
};

describe("auto attendant validation", () => {
  it("accepts a complete attendant, and one that only sends calls on", () => {
    expect(checkAutoAttendantSettings(settings())).toEqual([]);
    const direct: AttendantFlow = { greeting: null, menu: null, target: { kind: "person", extension: "1001" } };
    expect(checkAutoAttendantSettings(settings({ businessHours: direct, afterHours: direct, holiday: direct }))).toEqual([]);
  });

  it("names each fault by its path", () => {
    const issues = checkAutoAttendantSettings(
      settings({
        name: " ",
        voice: "",
        businessHours: {
          greeting: say(""),
          menu: menu([
            { key: "1", phrases: ["sales"], action: { kind: "repeat" } },
            { key: "2", phrases: ["Sales Team", "sales"], action: { kind: "repeat" } },
            { key: "1", phrases: [], action: { kind: "back" } },
            { key: "A" as "1", phrases: [], action: { kind: "operator" } },
          ]),
          target: null,
        },
        afterHours: { greeting: null, menu: null, target: null },
        noInput: { retries: 6, target: { kind: "external_number", number: "5550100" } },
        invalidInput: { retries: -1, target: { kind: "end", message: "bye" } as never },
      }),
    );
    expect(fields(issues)).toEqual([
      "name",
      "voice",
      "businessHours.greeting.text",
      "businessHours.menu.options.1.phrases.0",
      "businessHours.menu.options.1.phrases.1",
      "businessHours.menu.options.2.key",
      "businessHours.menu.options.3.key",
      "businessHours.menu.options.3.action",
      "afterHours",
      "noInput.retries",
      "noInput.target.number",
      "invalidInput.retries",
      "invalidInput.target.kind",
    ]);
    expect(issues.find((i) => i.field === "businessHours.menu.options.2.key")?.message).toBe("another option uses 1");
  });

  it("checks every kind of target's fields", () => {
    const targets = [
      { kind: "person", extension: "x1" },
      { kind: "auto_attendant", autoAttendantId: "" },
      { kind: "queue", queueId: "" },
      { kind: "voicemail", mailboxId: "" },
      { kind: "disconnect", message: "" },
      { kind: "worker", workerId: "w-1" },
    ] as const;
    const issues = checkAutoAttendantSettings(
      settings({
        businessHours: {
          greeting: null,
          menu: menu(
            targets.map((target, i) => ({
              key: String(i + 1) as "1",
              phrases: [],
              action: { kind: "redirect", target: target as never },
            })),
          ),
          target: null,
        },
      }),
    );
    expect(fields(issues)).toEqual([
      "businessHours.menu.options.0.action.target.extension",
      "businessHours.menu.options.1.action.target.autoAttendantId",
      "businessHours.menu.options.2.action.target.queueId",
      "businessHours.menu.options.3.action.target.mailboxId",
      "businessHours.menu.options.4.action.target.message",
      "businessHours.menu.options.5.action.target.kind",
    ]);
  });

  it("limits menus to 12 options, 10 phrases of 60 characters each, and 3 levels", () => {
    const keys = "0123456789*#";
    const full = menu([...keys].map((key) => ({ key: key as "1", phrases: [], action: { kind: "repeat" } })));
    expect(checkAutoAttendantSettings(settings({ businessHours: { greeting: null, menu: full, target: null } }))).toEqual([]);
    const tooMany = menu([...full.options, { key: "1", phrases: [], action: { kind: "repeat" } }]);
    expect(
      fields(checkAutoAttendantSettings(settings({ businessHours: { greeting: null, menu: tooMany, target: null } }))),
    ).toContain("businessHours.menu.options");
    const wordy = menu([
      { key: "1", phrases: Array.from({ length: 11 }, (_, i) => `word ${"x".repeat(i + 1)}`), action: { kind: "repeat" } },
      { key: "2", phrases: ["a".repeat(61)], action: { kind: "repeat" } },
      { key: "3", phrases: ["it's fine"], action: { kind: "repeat" } },
    ]);
    expect(
      fields(checkAutoAttendantSettings(settings({ businessHours: { greeting: null, menu: wordy, target: null } }))),
    ).toEqual(["businessHours.menu.options.0.phrases", "businessHours.menu.options.1.phrases.0"]);
    const nest = (depth: number): Menu =>
      depth === 1
        ? menu([{ key: "1", phrases: [], action: { kind: "back" } }])
        : menu([{ key: "1", phrases: [], action: { kind: "submenu", menu: nest(depth - 1) } }]);
    expect(checkAutoAttendantSettings(settings({ businessHours: { greeting: null, menu: nest(3), target: null } }))).toEqual([]);
    expect(
      fields(checkAutoAttendantSettings(settings({ businessHours: { greeting: null, menu: nest(4), target: null } }))),
    ).toEqual(["businessHours.menu.options.0.action.menu.options.0.action.menu.options.0.action.menu"]);
    expect(
      fields(
        checkAutoAttendantSettings(
          settings({ businessHours: { greeting: null, menu: { prompt: say(""), options: [] }, target: null } }),
        ),
      ),
    ).toEqual(["businessHours.menu.prompt.text", "businessHours.menu.options"]);
  });

  it("accepts the operator action only when the attendant has an operator", () => {
    const withOperator = menu([{ key: "0", phrases: ["operator"], action: { kind: "operator" } }]);
    const flow = { greeting: null, menu: withOperator, target: null };
    expect(fields(checkAutoAttendantSettings(settings({ businessHours: flow })))).toEqual([
      "businessHours.menu.options.0.action",
    ]);
    expect(
      checkAutoAttendantSettings(settings({ businessHours: flow, operator: { kind: "person", extension: "1000" } })),
    ).toEqual([]);
  });

  it("wants a recording prompt to name its recording", () => {
    const issues = checkAutoAttendantSettings(
      settings({
        businessHours: {
          greeting: { kind: "recording", recordingId: "" },
          menu: null,
          target: { kind: "disconnect" },
        },
      }),
    );
    expect(fields(issues)).toEqual(["businessHours.greeting.recordingId"]);
  });
});

describe("schedules", () => {
  const open = (weekly: Schedule["weekly"], holidays: Schedule["holidays"] = []): Schedule => ({
    timeZone: "America/New_York",
    weekly,
    holidays,
  });

  it("accepts hours per weekday to midnight, and holidays", () => {
    expect(
      scheduleIssues(
        open(
          {
            "0": [],
            "1": [
              ["09:00", "12:00"],
              ["12:00", "17:30"],
            ],
            "6": [["00:00", "24:00"]],
          },
          [{ date: "2028-02-29", name: "Leap day" }],
        ),
      ),
    ).toEqual([]);
  });

  it("refuses an unknown time zone, weekday, time, an empty or overlapping range, and a bad or repeated date", () => {
    expect(scheduleIssues({ ...open({}), timeZone: "Mars/Olympus" })).toEqual(["schedule.timeZone"]);
    expect(
      scheduleIssues(
        open(
          {
            "7": [],
            mon: [],
            "1": [
              ["09:00", "09:00"],
              ["24:00", "24:00"],
              ["08:00", "25:00"],
              ["9:00", "10:00"],
            ],
            "2": [
              ["09:00", "13:00"],
              ["12:00", "14:00"],
              ["14:00", "15:00"],
            ],
          },
          [
            { date: "2026-02-29", name: "no such day" },
            { date: "2026-12-25", name: "Christmas" },
            { date: "2026-12-25", name: "again" },
          ],
        ),
      ),
    ).toEqual([
      "schedule.weekly.1.0",
      "schedule.weekly.1.1.0",
      "schedule.weekly.1.2.1",
      "schedule.weekly.1.3.0",
      "schedule.weekly.2.1",
      "schedule.weekly.7",
      "schedule.weekly.mon",
      "schedule.holidays.0.date",
      "schedule.holidays.2.date",
    ]);
  });

  it("knows real dates", () => {
    expect(isValidDate("2026-01-31")).toBe(true);
    expect(isValidDate("2026-04-31")).toBe(false);
    expect(isValidDate("2026-1-01")).toBe(false);
  });
});

describe("targets", () => {
  it("lists every target with its path, and reports those naming nothing", async () => {
    const s = settings({
      businessHours: {
        greeting: null,
        menu: menu([
          { key: "1", phrases: [], action: { kind: "redirect", target: { kind: "queue", queueId: "q-1" } } },
          {
            key: "2",
            phrases: [],
            action: {
              kind: "submenu",
              menu: menu([
                { key: "1", phrases: [], action: { kind: "redirect", target: { kind: "voicemail", mailboxId: "mb-nope" } } },
              ]),
            },
          },
        ]),
        target: null,
      },
      holiday: { greeting: null, menu: null, target: { kind: "auto_attendant", autoAttendantId: "aa-nope" } },
      operator: { kind: "queue", queueId: "q-nope" },
    });
    const placed = attendantTargets(s);
    expect(placed.map((p) => p.field)).toEqual([
      "businessHours.menu.options.0.action.target",
      "businessHours.menu.options.1.action.menu.options.0.action.target",
      "holiday.target",
      "operator",
      "noInput.target",
      "invalidInput.target",
    ]);
    const issues: FieldIssue[] = [];
    await checkTargetsExist(
      placed,
      {
        queue: async (id) => id === "q-1",
        autoAttendant: async () => false,
        mailbox: async () => false,
      },
      issues,
    );
    expect(fields(issues)).toEqual([
      "businessHours.menu.options.1.action.menu.options.0.action.target.mailboxId",
      "holiday.target.autoAttendantId",
      "operator.queueId",
    ]);
  });
});

describe("call queue and mailbox settings", () => {
  const call = (extra: Partial<CallQueueSettings>): FieldIssue[] => {
    const issues: FieldIssue[] = [];
    checkCallQueueSettings({ ...defaultCallQueueSettings(), ...extra }, "call", issues);
    return issues;
  };

  it("announces every 10 to 600 seconds, or never", () => {
    expect(call({})).toEqual([]);
    expect(call({ announceEverySeconds: 0 })).toEqual([]);
    expect(call({ announceEverySeconds: 600, greeting: say("Hello"), music: { kind: "recording", recordingId: "r-1" } })).toEqual(
      [],
    );
    expect(fields(call({ announceEverySeconds: 5 }))).toEqual(["call.announceEverySeconds"]);
    expect(fields(call({ announceEverySeconds: 601 }))).toEqual(["call.announceEverySeconds"]);
    expect(
      fields(call({ greeting: say(""), recording: { enabled: true, consent: { kind: "recording", recordingId: "" } } })),
    ).toEqual(["call.greeting.text", "call.recording.consent.recordingId"]);
  });

  it("checks a mailbox's name, length, emails and PIN", () => {
    const ok = { name: "Sales", greeting: null, maxMessageSeconds: 120, notifyEmails: ["a@acme.test"], pin: "1234" };
    expect(checkMailboxSettings(ok)).toEqual([]);
    expect(
      fields(checkMailboxSettings({ name: "", greeting: say(""), maxMessageSeconds: 9, notifyEmails: ["nope"], pin: "12a4" })),
    ).toEqual(["name", "greeting.text", "maxMessageSeconds", "notifyEmails.0", "pin"]);
    expect(fields(checkMailboxSettings({ ...ok, maxMessageSeconds: 601, pin: "1234567890123" }))).toEqual([
      "maxMessageSeconds",
      "pin",
    ]);
  });
});
