import { SwitchboardError } from "@switchboard/sdk";
import { describe, expect, it } from "vitest";
import { asProblems, fieldLabel, messageAt, problemsOf, problemsUnder } from "./field-problems.js";

const invalid = new SwitchboardError({
  type: "https://switchboard.dev/problems/auto_attendant.invalid",
  title: "Bad request",
  status: 400,
  code: "auto_attendant.invalid",
  errors: [
    { field: "businessHours.menu.options.1.key", message: "another option uses 1" },
    { field: "body.businessHours.menu.options.0.action.target.queueId", message: "Too small" },
    { field: "businessHours", message: "a menu, or a target to go to after the greeting" },
    { field: "schedule.weekly.1.0", message: "the start must come before the end" },
  ],
});

describe("field problems", () => {
  it("takes a problem's fields, the request schema's `body.` dropped; none from other errors", () => {
    expect(problemsOf(invalid).map((p) => p.field)).toEqual([
      "businessHours.menu.options.1.key",
      "businessHours.menu.options.0.action.target.queueId",
      "businessHours",
      "schedule.weekly.1.0",
    ]);
    expect(problemsOf(new Error("x"))).toEqual([]);
    expect(asProblems({ name: "Enter a name." })).toEqual([{ field: "name", message: "Enter a name." }]);
  });

  it("gives each control the problems under its path, except those its children show", () => {
    const problems = problemsOf(invalid);
    expect(messageAt(problems, "businessHours.menu.options.1.key")).toBe("Another option uses 1.");
    expect(messageAt(problems, "businessHours.menu.options.1")).toBe("Another option uses 1.");
    // The flow's own control shows what is about the flow itself, not its menu's options.
    expect(messageAt(problems, "businessHours", ["businessHours.menu", "businessHours.greeting"])).toBe(
      "A menu, or a target to go to after the greeting.",
    );
    expect(messageAt(problems, "businessHours.menu.options.2")).toBeUndefined();
    // A path is not a prefix of a sibling's name.
    expect(problemsUnder(problems, "businessHours.menu.options.1")).toHaveLength(1);
    expect(problemsUnder([{ field: "options.10.key", message: "x" }], "options.1")).toEqual([]);
  });

  it("says where a field is, in words", () => {
    expect(fieldLabel("businessHours.menu.options.2.key")).toBe("Business hours › Menu › Option 3 › Key");
    expect(fieldLabel("body.afterHours.menu.options.0.action.target.queueId")).toBe(
      "After hours › Menu › Option 1 › Target › Queue",
    );
    expect(fieldLabel("businessHours.menu.options.1.action.menu.options.0.phrases.1")).toBe(
      "Business hours › Menu › Option 2 › Submenu › Option 1 › Phrase 2",
    );
    expect(fieldLabel("businessHours.menu.options.1.action")).toBe("Business hours › Menu › Option 2 › Action");
    expect(fieldLabel("schedule.weekly.1.0")).toBe("Schedule › Monday › Hours 1");
    expect(fieldLabel("schedule.weekly.0.1.1")).toBe("Schedule › Sunday › Hours 2 › End");
    expect(fieldLabel("schedule.holidays.0.date")).toBe("Schedule › Holiday 1 › Date");
    expect(fieldLabel("noInput.retries")).toBe("No input › Retries");
    expect(fieldLabel("timeout.target.mailboxId")).toBe("Timeout › Target › Mailbox");
    expect(fieldLabel("somethingNew")).toBe("somethingNew");
  });
});
