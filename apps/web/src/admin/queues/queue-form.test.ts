import { Queue } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import type { TargetDirectory } from "../auto-attendants/call-targets.js";
import {
  exceptionDetails,
  exceptionSummary,
  formFromQueue,
  normalizeWrapUpCode,
  queueInput,
  queuePatch,
  validateQueue,
} from "./queue-form.js";

const directory: TargetDirectory = {
  queues: [
    { id: "q1", name: "support" },
    { id: "q2", name: "billing" },
  ],
  autoAttendants: [],
  mailboxes: [{ id: "mb-general", name: "Northwind general", ownerUserId: null }],
  extensions: [],
  workers: [{ id: "w1", name: "Ben Carter" }],
};

// Parsed, so that settings this form leaves alone (and the server adds over time) get their defaults.
const support: Queue = Queue.parse({
  id: "q1",
  name: "support",
  timeout: { seconds: 120, target: { kind: "leave_message" } },
  noAgents: { when: "none_signed_in", target: null },
  wrapUpCodes: ["resolved", "follow_up"],
  organizationIds: ["org-b", "org-a"],
  createdAt: "2025-06-01T12:00:00.000Z",
  updatedAt: "2025-06-01T12:00:00.000Z",
});

describe("the queue form", () => {
  it("changes only what was edited, and leaves exceptions and the rest to the server", () => {
    const form = formFromQueue(support);
    expect(queuePatch(support, form)).toEqual({});
    expect(queuePatch(support, { ...form, organizationIds: ["org-a", "org-b"] })).toEqual({});
    expect(queuePatch(support, { ...form, organizationIds: ["org-a"], alertSeconds: " 45 " })).toEqual({
      organizationIds: ["org-a"],
      alertSeconds: 45,
    });
    expect(queuePatch(support, { ...form, name: " Support ", wrapUpCodes: ["resolved"] })).toEqual({
      name: "Support",
      wrapUpCodes: ["resolved"],
    });
    expect(queuePatch(support, { ...form, organizationIds: [] })).toEqual({ organizationIds: [] });
  });

  it("creates a queue with the form's settings: no exceptions, the server's call defaults", () => {
    const form = { ...formFromQueue(undefined), name: " billing ", organizationIds: ["org-a"] };
    expect(queueInput(form)).toEqual({
      name: "billing",
      distribution: "longest_idle",
      alertSeconds: 30,
      wrapUpSeconds: 30,
      serviceLevelSeconds: 60,
      wrapUpCodes: ["resolved", "follow_up", "no_response"],
      organizationIds: ["org-a"],
      overflow: null,
      timeout: null,
      noAgents: null,
      call: Queue.shape.call.parse(undefined),
    });
    expect(validateQueue(form)).toEqual({});
  });

  it("sends an exception or the call settings only when they changed, whole", () => {
    const form = formFromQueue(support, directory);
    // A rule switched on starts sending to the shared mailbox.
    expect(queuePatch(support, { ...form, overflow: { ...form.overflow, on: true, threshold: "5" } })).toEqual({
      overflow: { threshold: 5, target: { kind: "voicemail", mailboxId: "mb-general" } },
    });
    expect(
      queuePatch(support, { ...form, timeout: { ...form.timeout, target: { kind: "voicemail", mailboxId: "mb-general" } } }),
    ).toEqual({ timeout: { seconds: 120, target: { kind: "voicemail", mailboxId: "mb-general" } } });
    expect(queuePatch(support, { ...form, timeout: { ...form.timeout, on: false } })).toEqual({ timeout: null });
    // "Queue anyway" is a rule without a target; switching it off keeps the target typed meanwhile.
    expect(form.noAgents).toMatchObject({ on: true, queueAnyway: true });
    expect(
      queuePatch(support, {
        ...form,
        noAgents: { ...form.noAgents, queueAnyway: false, target: { kind: "worker", workerId: "w1" } },
      }),
    ).toEqual({ noAgents: { when: "none_signed_in", target: { kind: "worker", workerId: "w1" } } });
    const call = {
      ...form.call,
      greeting: { ...form.call.greeting, text: " Welcome. " },
      music: { ...form.call.music, kind: "recording" as const, recordingId: "rec-1" },
      announceEverySeconds: "45",
      conferenceMode: true,
    };
    expect(queuePatch(support, { ...form, call })).toEqual({
      call: {
        greeting: { kind: "speech", text: "Welcome." },
        music: { kind: "recording", recordingId: "rec-1" },
        announceEverySeconds: 45,
        announcePosition: true,
        announceExpectedWait: true,
        conferenceMode: true,
        recording: { enabled: false, consent: null },
      },
    });
    // Music back to the default track is null again.
    expect(queuePatch(support, { ...form, call: { ...call, music: { ...call.music, kind: "none" } } }).call?.music).toBeNull();
  });

  it("checks the exceptions' numbers and choices at the server's field names", () => {
    const form = formFromQueue(support, directory);
    const errors = validateQueue({
      ...form,
      overflow: { on: true, threshold: "201", target: { kind: "queue", queueId: "" } },
      timeout: { ...form.timeout, seconds: "2701" },
      noAgents: { ...form.noAgents, queueAnyway: false, target: { kind: "voicemail", mailboxId: "" } },
      call: { ...form.call, announceEverySeconds: "5" },
    });
    expect(errors).toEqual({
      "call.announceEverySeconds": "Whole seconds, 10 to 600; 0 for never.",
      "overflow.threshold": "0 to 200 waiting.",
      "overflow.target.queueId": "Choose a queue.",
      "timeout.seconds": "Whole seconds, 0 to 2700 (45 minutes).",
      "noAgents.target.mailboxId": "Choose a mailbox.",
    });
    // Off, a rule is not checked; 0 means never announce.
    expect(
      validateQueue({
        ...form,
        overflow: { on: false, threshold: "x", target: { kind: "queue", queueId: "" } },
        call: { ...form.call, announceEverySeconds: "0" },
      }),
    ).toEqual({});
  });

  it("finds what the server would refuse", () => {
    const form = formFromQueue(support);
    const errors = validateQueue({ ...form, name: " ", alertSeconds: "10", wrapUpSeconds: "", serviceLevelSeconds: "1.5" });
    expect(Object.keys(errors).sort()).toEqual(["alertSeconds", "name", "serviceLevelSeconds", "wrapUpSeconds"]);
    expect(validateQueue({ ...form, alertSeconds: "180", wrapUpSeconds: "0" })).toEqual({});
    expect(normalizeWrapUpCode("  refund ")).toEqual({ value: "refund" });
    expect(normalizeWrapUpCode(" ")).toHaveProperty("error");
  });

  it("sums up a queue's exceptions", () => {
    expect(exceptionSummary(support)).toEqual(["timeout after 2 min", "no agent signed in"]);
    expect(
      exceptionSummary({ overflow: { threshold: 0, target: { kind: "leave_message" } }, timeout: null, noAgents: null }),
    ).toEqual(["overflow at once"]);
    expect(exceptionSummary({ ...support, timeout: { seconds: 90, target: { kind: "leave_message" } } })[0]).toBe(
      "timeout after 90 s",
    );
    expect(
      exceptionDetails({ ...support, overflow: { threshold: 10, target: { kind: "queue", queueId: "q2" } } }, directory),
    ).toEqual(["overflow above 10: Queue billing", "timeout after 2 min: Leave a message", "no agent signed in: queue anyway"]);
  });
});
