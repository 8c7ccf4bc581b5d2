import { describe, expect, it, vi } from "vitest";
import { ManualTimers, MemoryCallLeg, MemoryMixer, ScriptedDialer } from "../../testing/memory-call-media.js";
import { MemoryRecordingStore } from "../../testing/memory-recording-store.js";
import { MemoryVoicemailStore } from "../../testing/memory-voicemail-store.js";
import type { CallConnection } from "../calls/connection.js";
import type { Grammar, SpeechRecognizer } from "../calls/recognition.js";
import { ManualClock } from "../kernel/clock.js";
import { defaultQueueSettings, type Queue } from "../queues/model.js";
import { RoutingEngine } from "../routing/engine.js";
import type { QueueExceptions } from "../routing/model.js";
import { CallRouting } from "./call-routing.js";
import { type CallFlowDeps, MAX_HOPS, runCallFlow } from "./engine.js";
import type { AttendantFlow, AutoAttendant, CallQueueSettings, CallTarget, FlowResult, VoicemailMessage } from "./model.js";
import { ParkingLot } from "./parking.js";
import type { DirectoryEntry } from "./ports.js";
import { FLOW_PROMPTS } from "./prompts.js";

const TENANT = "tenant-1";
/** A Wednesday, 10:00 in New York. */
const OPEN = "2026-11-25T15:00:00Z";
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};
const say = (text: string) => ({ kind: "speech", text }) as const;

const directory: DirectoryEntry[] = [
  { extension: "1001", name: "Alice Johnson", userId: "user-alice" },
  { extension: "1002", name: "Bob Smith", userId: "user-bob" },
  { extension: "1003", name: "John Baker", userId: null },
];

const flow = (menu: AttendantFlow["menu"], greeting = say("Welcome to Northwind.")): AttendantFlow => ({
  greeting,
  menu,
  target: null,
});

const MAIN_MENU = {
  prompt: say("For sales press 1, for support press 2, for a submenu press 3, to dial by name press 9."),
  options: [
    { key: "1", phrases: ["sales"], action: { kind: "redirect", target: { kind: "queue", queueId: "sales" } } },
    { key: "2", phrases: ["support"], action: { kind: "redirect", target: { kind: "queue", queueId: "support" } } },
    {
      key: "3",
      phrases: [],
      action: {
        kind: "submenu",
        menu: {
          prompt: say("Press 4 to hear our address, star to go back."),
          options: [
            { key: "4", phrases: [], action: { kind: "announcement", announcement: say("We are at 1 Main Street.") } },
            { key: "*", phrases: [], action: { kind: "back" } },
          ],
        },
      },
    },
    { key: "8", phrases: [], action: { kind: "dial_by_extension" } },
    { key: "9", phrases: [], action: { kind: "dial_by_name" } },
    { key: "#", phrases: [], action: { kind: "repeat" } },
    { key: "*", phrases: [], action: { kind: "voicemail_login" } },
  ],
} as const satisfies AttendantFlow["menu"];

function attendant(overrides: Partial<AutoAttendant> = {}): AutoAttendant {
  return {
    id: "main",
    tenantId: TENANT,
    name: "Main",
    version: 1,
    voice: null,
    schedule: {
      timeZone: "America/New_York",
      weekly: { "1": [["09:00", "17:00"]], "2": [["09:00", "17:00"]], "3": [["09:00", "17:00"]] },
      holidays: [{ date: "2026-12-25", name: "Christmas" }],
    },
    businessHours: flow(MAIN_MENU),
    afterHours: { greeting: say("We are closed."), menu: null, target: { kind: "voicemail", mailboxId: "general" } },
    holiday: { greeting: say("Happy holidays, we are closed."), menu: null, target: { kind: "disconnect" } },
    operator: { kind: "person", extension: "1002" },
    speechInput: false,
    noInput: { retries: 1, target: { kind: "disconnect", message: "Goodbye from the no-input policy." } },
    invalidInput: { retries: 1, target: { kind: "queue", queueId: "support" } },
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

interface WorldOptions {
  readonly at?: string;
  readonly attendants?: AutoAttendant[];
  readonly exceptions?: Partial<QueueExceptions>;
  readonly call?: Partial<CallQueueSettings>;
  readonly agents?: { id: string; extension?: string }[];
  readonly recognizer?: SpeechRecognizer;
}

function world(options: WorldOptions = {}) {
  const clock = new ManualClock(options.at ?? OPEN);
  const timers = new ManualTimers(clock);
  let next = 0;
  const ids = { next: () => `id-${++next}` };
  const dialer = new ScriptedDialer();
  const mixer = new MemoryMixer();
  const voicemail = new MemoryVoicemailStore();
  const results: FlowResult[] = [];
  const left: VoicemailMessage[] = [];
  const attendants = new Map((options.attendants ?? [attendant()]).map((a) => [a.id, a]));
  const queues = new Map<string, Queue>();
  const engine = new RoutingEngine({ clock, ids });
  for (const id of ["sales", "support"]) {
    queues.set(id, {
      ...defaultQueueSettings(id),
      call: { ...defaultQueueSettings(id).call, ...options.call },
      id,
      tenantId: TENANT,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    });
    engine.upsertQueue({ id, name: id, wrapUpSeconds: 30, exceptions: id === "sales" ? (options.exceptions ?? {}) : {} });
  }
  const agents = options.agents ?? [];
  for (const agent of agents) {
    engine.upsertWorker({ id: agent.id, capacity: 1, costs: { voice: 1 }, queues: ["sales", "support"] });
    engine.signIn(agent.id);
  }
  const routing: CallRouting = new CallRouting({
    lane: {
      run: async (tenantId, command) => {
        for (const event of command(engine)) routing.handle(tenantId, event);
      },
      engine: () => engine,
    },
    // An agent is reached at their phone's extension (the server forks to their desktops too).
    dialer: {
      dial: async (target, dialOptions) => {
        if (target.kind !== "agent") return dialer.dial(target, dialOptions);
        const extension = agents.find((a) => a.id === target.workerId)?.extension;
        if (extension === undefined) return { ok: false, failure: "not-registered" };
        const outcome = await dialer.dial({ kind: "extension", extension }, dialOptions);
        return outcome.ok ? { ...outcome, extension } : outcome;
      },
    },
    clock,
    ids,
    onError: (error) => {
      throw error;
    },
  });
  /** Settles once the mailboxes below are stored. */
  const mailboxesReady = Promise.all([
    voicemail.createMailbox({
      id: "general",
      tenantId: TENANT,
      name: "General",
      ownerUserId: null,
      greeting: null,
      maxMessageSeconds: 120,
      pinHash: null,
      notifyEmails: [],
      createdAt: new Date(0),
      updatedAt: new Date(0),
    }),
    voicemail.createMailbox({
      id: "alice-box",
      tenantId: TENANT,
      name: "Alice Johnson",
      ownerUserId: "user-alice",
      greeting: null,
      maxMessageSeconds: 120,
      pinHash: "hash:2468",
      notifyEmails: [],
      createdAt: new Date(0),
      updatedAt: new Date(0),
    }),
  ]);
  const deps: CallFlowDeps = {
    dialer,
    mixer,
    clock,
    timers,
    ids,
    autoAttendants: { getAutoAttendant: async (_t, id) => attendants.get(id) },
    queues: { getQueue: async (_t, id) => queues.get(id) },
    voicemail,
    directory: {
      list: async () => directory,
      find: async (_tenantId, extension) => directory.find((entry) => entry.extension === extension),
    },
    router: routing,
    parking: new ParkingLot({ dialer, mixer, timers }),
    recordings: new MemoryRecordingStore(),
    ...(options.recognizer ? { recognizer: options.recognizer } : {}),
    pins: { verify: async (pin, hash) => hash === `hash:${pin}` },
    onResult: (result) => results.push(result),
    onVoicemail: (message) => left.push(message),
  };
  const call = (start: CallTarget = { kind: "auto_attendant", autoAttendantId: "main" }) => {
    const leg = new MemoryCallLeg("caller");
    const done = runCallFlow(leg, start, deps, { tenantId: TENANT, callId: "call-1", caller: "+15557654321" });
    return { leg, done };
  };
  /** Moves the clock and fires what is due in the routing engine and the flow's timers. */
  const advance = async (ms: number) => {
    timers.advance(ms);
    for (const event of engine.tick(clock.now())) routing.handle(TENANT, event);
    await settle();
  };
  return {
    clock,
    timers,
    dialer,
    mixer,
    voicemail,
    mailboxesReady,
    results,
    left,
    engine,
    attendants,
    queues,
    deps,
    call,
    advance,
  };
}

const attendantResult = (results: FlowResult[]) => results.find((r) => r.kind === "auto_attendant");

describe("auto attendant", () => {
  it("in business hours greets, offers the menu and sends key 1 to the Sales queue", async () => {
    const w = world();
    const { leg } = w.call();
    await settle();
    expect(leg.transcript.slice(0, 2)).toEqual(["Welcome to Northwind.", MAIN_MENU.prompt.text]);
    leg.press("1");
    await settle();
    expect(attendantResult(w.results)).toMatchObject({
      period: "business_hours",
      result: "transferred_to_queue",
      path: ["1"],
      target: { kind: "queue", queueId: "sales" },
      version: 1,
    });
    expect(w.engine.listJobs()).toHaveLength(1);
    expect(w.engine.listJobs()[0]).toMatchObject({ subject: "call-1", channel: "voice", queueId: "sales" });
    leg.hangUp();
  });

  it("takes a key pressed during the greeting as the choice, without reading the menu", async () => {
    const w = world();
    const leg = new MemoryCallLeg("caller");
    leg.holdPlayback = true;
    void runCallFlow(leg, { kind: "auto_attendant", autoAttendantId: "main" }, w.deps, {
      tenantId: TENANT,
      callId: "call-1",
      caller: "+15557654321",
    });
    await settle();
    leg.press("2");
    await settle();
    expect(leg.transcript).toEqual(["Welcome to Northwind."]);
    expect(w.engine.listJobs()[0]).toMatchObject({ queueId: "support" });
    leg.hangUp();
  });

  it("after hours plays the after-hours flow, which goes straight to the shared voicemail", async () => {
    const w = world({ at: "2026-11-25T03:00:00Z" });
    const { leg, done } = w.call();
    await settle();
    expect(leg.transcript[0]).toBe("We are closed.");
    expect(leg.waitingFor).toBe("record");
    leg.speak(4_000);
    await done;
    expect(attendantResult(w.results)).toMatchObject({ period: "after_hours", result: "shared_voicemail" });
    expect(w.left).toHaveLength(1);
    expect(w.left[0]).toMatchObject({ mailboxId: "general", caller: "+15557654321", durationMs: 4_000, heard: false });
    expect(leg.transcript.at(-1)).toBe(FLOW_PROMPTS.messageSaved.text);
  });

  it("on a holiday plays the holiday flow, even on a weekday in business hours", async () => {
    const w = world({ at: "2026-12-25T15:00:00Z" });
    const { leg, done } = w.call();
    await done;
    expect(leg.transcript).toEqual(["Happy holidays, we are closed."]);
    expect(attendantResult(w.results)).toMatchObject({ period: "holiday", result: "disconnected" });
    expect(leg.hungUp?.by).toBe("platform");
  });

  it("gives the caller the configured retries on silence, then follows the no-input policy", async () => {
    const w = world();
    const { leg, done } = w.call();
    await settle();
    leg.timeOut();
    await settle();
    expect(leg.transcript).toContain(FLOW_PROMPTS.notHeard.text);
    leg.timeOut();
    await done;
    expect(leg.transcript.at(-1)).toBe("Goodbye from the no-input policy.");
    expect(attendantResult(w.results)).toMatchObject({ result: "no_input" });
  });

  it("gives the caller the configured retries on keys the menu lacks, then follows the invalid-input policy", async () => {
    const w = world();
    const { leg } = w.call();
    await settle();
    leg.press("7");
    await settle();
    expect(leg.transcript).toContain(FLOW_PROMPTS.notAnOption.text);
    leg.press("6");
    await settle();
    expect(attendantResult(w.results)).toMatchObject({ result: "invalid_input", path: ["7", "6"] });
    expect(w.engine.listJobs()[0]).toMatchObject({ queueId: "support" });
    leg.hangUp();
  });

  it("enters a submenu, plays its announcement, goes back, and repeats the menu on #", async () => {
    const w = world();
    const { leg } = w.call();
    await settle();
    leg.press("3");
    await settle();
    leg.press("4");
    await settle();
    expect(leg.transcript).toContain("We are at 1 Main Street.");
    leg.press("*");
    await settle();
    leg.press("#");
    await settle();
    const menus = leg.transcript.filter((t) => t === MAIN_MENU.prompt.text);
    expect(menus).toHaveLength(3);
    leg.hangUp();
    await settle();
    expect(attendantResult(w.results)).toMatchObject({ result: "caller_hung_up", path: ["3", "4", "*", "#"] });
  });

  it("sends 0 to the operator, who is a person: their phone rings and the caller is bridged", async () => {
    const w = world();
    const bob = new MemoryCallLeg("bob");
    w.dialer.answerWith({ ok: true, leg: bob });
    const { leg, done } = w.call();
    await settle();
    leg.press("0");
    await settle();
    expect(attendantResult(w.results)).toMatchObject({ result: "transferred_to_operator" });
    expect(w.dialer.dialled[0]?.target).toEqual({ kind: "extension", extension: "1002" });
    expect(w.mixer.conferences.map((c) => c.joined)).toEqual([["caller", "bob"]]);
    expect(w.results).toContainEqual({ kind: "person", extension: "1002", result: "answered" });
    bob.hangUp();
    await done;
    expect(leg.hungUp).toBeDefined();
  });

  it("dials by extension", async () => {
    const w = world();
    w.dialer.answerWith({ ok: true, leg: new MemoryCallLeg("alice") });
    const { leg } = w.call();
    await settle();
    leg.press("8");
    await settle();
    expect(leg.transcript).toContain(FLOW_PROMPTS.enterExtension.text);
    leg.press("1001#");
    await settle();
    expect(w.dialer.dialled[0]?.target).toEqual({ kind: "extension", extension: "1001" });
    expect(attendantResult(w.results)).toMatchObject({ result: "transferred_to_user" });
    leg.hangUp();
  });

  it("dials by name: letters matching two people are read back and the caller picks one", async () => {
    const w = world();
    w.dialer.answerWith({ ok: true, leg: new MemoryCallLeg("john") });
    const { leg } = w.call();
    await settle();
    leg.press("9");
    await settle();
    expect(leg.transcript).toContain(FLOW_PROMPTS.spellName.text);
    // J-O-H: Alice Johnson (last name) and John Baker (first name).
    leg.press("564#");
    await settle();
    expect(leg.transcript).toContain("For Alice Johnson, press 1.");
    expect(leg.transcript).toContain("For John Baker, press 2.");
    leg.press("2");
    await settle();
    expect(w.dialer.dialled[0]?.target).toEqual({ kind: "extension", extension: "1003" });
    leg.hangUp();
  });

  it("dials by name: a single match is put through at once", async () => {
    const w = world();
    w.dialer.answerWith({ ok: true, leg: new MemoryCallLeg("bob") });
    const { leg } = w.call();
    await settle();
    leg.press("9");
    await settle();
    leg.press("7648#"); // S-M-I-T
    await settle();
    expect(leg.transcript).toContain("Bob Smith");
    expect(w.dialer.dialled[0]?.target).toEqual({ kind: "extension", extension: "1002" });
    leg.hangUp();
  });

  it("with speech input, a spoken option chooses it, and the keypad still works", async () => {
    const heard: Grammar[] = [];
    const recognizer: SpeechRecognizer = {
      recognize: async (_audio, grammar) => {
        heard.push(grammar);
        return { choiceId: "2", text: "support", confidence: 0.9 };
      },
    };
    const w = world({ attendants: [attendant({ speechInput: true })], recognizer });
    const { leg } = w.call();
    await settle();
    expect(leg.waitingFor).toBe("record");
    leg.say();
    await settle();
    expect(heard[0]?.choices).toEqual([
      { id: "1", phrases: ["sales"] },
      { id: "2", phrases: ["support"] },
    ]);
    expect(attendantResult(w.results)).toMatchObject({ result: "transferred_to_queue", path: ["support"] });
    expect(w.engine.listJobs()[0]).toMatchObject({ queueId: "support" });
    leg.hangUp();

    const keyed = world({ attendants: [attendant({ speechInput: true })], recognizer });
    const second = keyed.call();
    await settle();
    second.leg.pressDuringRecording("1");
    await settle();
    expect(keyed.engine.listJobs()[0]).toMatchObject({ queueId: "sales" });
    second.leg.hangUp();
  });

  it("keeps a call on the version it started with when a new one is published", async () => {
    const w = world();
    const { leg } = w.call();
    await settle();
    w.attendants.set("main", attendant({ version: 2, businessHours: flow(null, say("Version two")) }));
    leg.press("2");
    await settle();
    expect(attendantResult(w.results)).toMatchObject({ version: 1, result: "transferred_to_queue" });
    leg.hangUp();
  });

  it(`gives up after ${MAX_HOPS} redirects in a row (attendants pointing at each other)`, async () => {
    const loop = attendant({
      schedule: null,
      businessHours: { greeting: null, menu: null, target: { kind: "auto_attendant", autoAttendantId: "main" } },
    });
    const w = world({ attendants: [loop] });
    const { leg, done } = w.call();
    await done;
    expect(w.results).toHaveLength(MAX_HOPS);
    expect(leg.transcript.at(-1)).toBe(FLOW_PROMPTS.cannotConnect.text);
  });
});

describe("people and voicemail", () => {
  it("a person who does not answer gets a voicemail, kept with caller, time and length", async () => {
    const w = world();
    w.dialer.answerWith({ ok: false, failure: "no-answer" });
    const { leg, done } = w.call({ kind: "person", extension: "1001" });
    await settle();
    expect(leg.transcript).toContain(`You have reached the voicemail of Alice Johnson. ${FLOW_PROMPTS.leaveMessage.text}`);
    leg.speak(3_000);
    await done;
    expect(w.results).toEqual([
      { kind: "person", extension: "1001", result: "voicemail" },
      { kind: "voicemail", mailboxId: "alice-box", result: "message_left", messageId: w.left[0]?.id },
    ]);
    expect(w.left[0]).toMatchObject({ mailboxId: "alice-box", callId: "call-1", durationMs: 3_000 });
  });

  it("a person without a mailbox who does not answer: the caller is told and the call ends", async () => {
    const w = world();
    w.dialer.answerWith({ ok: false, failure: "busy" });
    const { leg, done } = w.call({ kind: "person", extension: "1003" });
    await done;
    expect(leg.transcript.slice(-2)).toEqual([FLOW_PROMPTS.personUnavailable.text, FLOW_PROMPTS.goodbye.text]);
    expect(w.results).toEqual([{ kind: "person", extension: "1003", result: "unavailable" }]);
  });

  it("the voicemail menu: extension and PIN, new messages played and marked heard, one deleted", async () => {
    const w = world();
    await w.mailboxesReady;
    for (const [id, caller] of [
      ["m1", "+15550001111"],
      ["m2", "+15550002222"],
    ] as const) {
      await w.voicemail.addMessage({
        id,
        tenantId: TENANT,
        mailboxId: "alice-box",
        callId: `call-${id}`,
        caller,
        recordingId: `rec-${id}`,
        durationMs: 2_000,
        transcript: null,
        heard: false,
        createdAt: new Date(0),
      });
    }
    const { leg, done } = w.call();
    await settle();
    leg.press("*");
    await settle();
    leg.press("1001#");
    await settle();
    leg.press("1111#");
    await settle();
    expect(leg.transcript).toContain(FLOW_PROMPTS.mailboxLoginFailed.text);
    leg.press("1001#");
    await settle();
    leg.press("2468#");
    await settle();
    expect(leg.transcript).toContain("You have 2 new messages.");
    expect(leg.transcript).toContain("<recording rec-m1>");
    const deleteAudio = vi.spyOn(w.deps.recordings as MemoryRecordingStore, "delete");
    leg.press("7");
    await settle();
    expect(leg.transcript).toContain(FLOW_PROMPTS.messageDeleted.text);
    expect(leg.transcript).toContain("<recording rec-m2>");
    leg.press("2");
    await done;
    expect((await w.voicemail.listMessages(TENANT, "alice-box")).map((m) => [m.id, m.heard])).toEqual([["m2", true]]);
    // The deleted message's audio goes with it.
    expect(deleteAudio).toHaveBeenCalledWith(TENANT, "rec-m1");
    expect(leg.transcript.at(-1)).toBe(FLOW_PROMPTS.noMoreMessages.text);
    expect(attendantResult(w.results)).toMatchObject({ result: "voicemail_menu" });
  });
});

describe("call queue", () => {
  it("rings an available agent's phone; answering accepts the offer and bridges the caller; hanging up completes the job", async () => {
    const w = world({ agents: [{ id: "ana", extension: "1001" }], call: { greeting: say("Thanks for calling sales.") } });
    w.dialer.ringUntilTold();
    const { leg, done } = w.call({ kind: "queue", queueId: "sales" });
    await settle();
    expect(leg.transcript[0]).toBe("Thanks for calling sales.");
    expect(leg.onHold).toBe(true);
    const phone = w.dialer.ringing[0];
    expect(phone?.target).toEqual({ kind: "extension", extension: "1001" });
    expect(phone?.options.callerId).toBe("+15557654321");
    w.clock.advance(5_000);
    const ana = new MemoryCallLeg("ana");
    phone?.answer(ana);
    await settle();
    expect(w.engine.listJobs()[0]).toMatchObject({ status: "assigned", workerId: "ana" });
    expect(leg.onHold).toBe(false);
    expect(w.mixer.conferences.map((c) => c.joined)).toEqual([["caller", "ana"]]);
    expect(w.results).toContainEqual({
      kind: "call_queue",
      queueId: "sales",
      result: "answered",
      waitedMs: 5_000,
      workerId: "ana",
      target: null,
    });
    leg.hangUp();
    await done;
    await settle();
    expect(w.engine.listJobs()).toEqual([]);
    expect(w.engine.worker("ana")?.presence).toBe("wrap_up");
  });

  it("an agent who parks the call lets go of it; the caller waits in the orbit, alive, and the job is done", async () => {
    const w = world({ agents: [{ id: "ana", extension: "1001" }] });
    const ana = new MemoryCallLeg("ana");
    w.dialer.answerWith({ ok: true, leg: ana });
    const { leg, done } = w.call({ kind: "queue", queueId: "sales" });
    await settle();
    await expect(ana.requestTransfer({ kind: "extension", extension: "70" })).resolves.toBe("succeeded");
    await expect(done).resolves.toBe("parked");
    expect(ana.transcript).toEqual(["Parked on", "<digits 71>"]);
    expect(leg.hungUp).toBeUndefined();
    expect(leg.onHold).toBe(true);
    expect(w.engine.listJobs()).toEqual([]);
  });

  it("announces the position and expected wait every N seconds over the music", async () => {
    const w = world({ agents: [{ id: "ana" }], call: { announceEverySeconds: 20 } });
    // Ana has no phone: the offer is declined and the call waits.
    const { leg } = w.call({ kind: "queue", queueId: "sales" });
    await settle();
    expect(leg.transcript).toEqual([]);
    await w.advance(20_000);
    expect(leg.transcript).toEqual(["You are next in line."]);
    await w.advance(20_000);
    expect(leg.transcript).toHaveLength(2);
    leg.hangUp();
    await settle();
    expect(w.results.at(-1)).toMatchObject({ kind: "call_queue", result: "abandoned", waitedMs: 40_000 });
    expect(w.engine.listJobs()).toEqual([]);
  });

  it("a timeout sends the waiting call to its target (shared voicemail) on time, and stops the ringing phone", async () => {
    const w = world({
      agents: [{ id: "ana", extension: "1001" }],
      exceptions: { timeout: { seconds: 45, target: { kind: "voicemail", mailboxId: "general" } } },
    });
    w.dialer.ringUntilTold();
    const { leg, done } = w.call({ kind: "queue", queueId: "sales" });
    await settle();
    const phone = w.dialer.ringing[0];
    await w.advance(29_000);
    expect(phone?.settled).toBe(false);
    await w.advance(1_000);
    // The offer expired (30 s alert): the phone stops ringing; Ana is set away, nobody else can answer.
    expect(phone?.settled).toBe(true);
    await w.advance(15_000);
    expect(w.results.at(-1)).toMatchObject({
      kind: "call_queue",
      result: "timed_out",
      waitedMs: 45_000,
      target: { kind: "voicemail", mailboxId: "general" },
    });
    expect(leg.waitingFor).toBe("record");
    leg.speak(2_000);
    await done;
    expect(w.left[0]).toMatchObject({ mailboxId: "general" });
  });

  it("overflow at 0 sends every arrival to the target at once (another auto attendant)", async () => {
    const w = world({
      exceptions: { overflow: { threshold: 0, target: { kind: "auto_attendant", autoAttendantId: "main" } } },
    });
    const { leg } = w.call({ kind: "queue", queueId: "sales" });
    await settle();
    expect(w.results[0]).toMatchObject({ kind: "call_queue", result: "overflowed", waitedMs: 0 });
    expect(leg.transcript[0]).toBe("Welcome to Northwind.");
    leg.hangUp();
  });

  it("no agents signed in sends the call to an external number", async () => {
    const w = world({
      exceptions: {
        noAgents: { when: "none_signed_in", action: { kind: "external_number", number: "+14155550100" } },
      },
    });
    w.dialer.answerWith({ ok: true, leg: new MemoryCallLeg("outside") });
    const { leg } = w.call({ kind: "queue", queueId: "sales" });
    await settle();
    expect(w.results[0]).toMatchObject({ kind: "call_queue", result: "no_agents" });
    expect(w.dialer.dialled[0]?.target).toEqual({ kind: "number", e164: "+14155550100" });
    expect(w.results[1]).toEqual({ kind: "external_number", e164: "+14155550100", result: "answered" });
    leg.hangUp();
  });

  describe("every exception sends the call to each kind of target", () => {
    const targets: [string, CallTarget, (w: ReturnType<typeof world>, leg: MemoryCallLeg) => void][] = [
      [
        "disconnect",
        { kind: "disconnect", message: "We are busy, goodbye." },
        (_w, leg) => {
          expect(leg.transcript.at(-1)).toBe("We are busy, goodbye.");
          expect(leg.hungUp?.by).toBe("platform");
        },
      ],
      [
        "a person",
        { kind: "person", extension: "1002" },
        (w) => {
          expect(w.dialer.dialled.at(-1)?.target).toEqual({ kind: "extension", extension: "1002" });
        },
      ],
      [
        "an auto attendant",
        { kind: "auto_attendant", autoAttendantId: "main" },
        (_w, leg) => {
          expect(leg.transcript).toContain("Welcome to Northwind.");
        },
      ],
      [
        "another call queue",
        { kind: "queue", queueId: "support" },
        (w) => {
          expect(w.engine.listJobs().map((j) => j.queueId)).toEqual(["support"]);
        },
      ],
      [
        "an external number",
        { kind: "external_number", number: "+14155550100" },
        (w) => {
          expect(w.dialer.dialled.at(-1)?.target).toEqual({ kind: "number", e164: "+14155550100" });
        },
      ],
      [
        "a shared voicemail",
        { kind: "voicemail", mailboxId: "general" },
        (_w, leg) => {
          expect(leg.waitingFor).toBe("record");
        },
      ],
    ];
    const exceptions: [string, (target: CallTarget) => Partial<QueueExceptions>, number, string][] = [
      ["overflow", (target) => ({ overflow: { threshold: 0, target } }), 0, "overflowed"],
      ["timeout", (target) => ({ timeout: { seconds: 30, target } }), 30_000, "timed_out"],
      ["no agents", (target) => ({ noAgents: { when: "none_signed_in", action: target } }), 0, "no_agents"],
    ];
    for (const [exception, rule, after, result] of exceptions) {
      for (const [name, target, check] of targets) {
        it(`${exception} → ${name}`, async () => {
          const w = world({
            exceptions: rule(target),
            ...(exception === "timeout" ? { agents: [{ id: "ana" }] } : {}),
          });
          // A person or a number that answers: the caller is bridged to it.
          w.dialer.answerWith({ ok: true, leg: new MemoryCallLeg("answered") });
          const { leg } = w.call({ kind: "queue", queueId: "sales" });
          await settle();
          if (after > 0) await w.advance(after);
          expect(w.results[0]).toMatchObject({ kind: "call_queue", result, target, waitedMs: after });
          check(w, leg);
          leg.hangUp();
        });
      }
    }
  });

  it("a call an exception moved to another queue is answered there: counted for that queue, with its settings", async () => {
    const w = world({
      agents: [{ id: "ana", extension: "1001" }],
      exceptions: { overflow: { threshold: 0, target: { kind: "queue", queueId: "support" } } },
    });
    const support = w.queues.get("support");
    if (!support) throw new Error("no support queue");
    w.queues.set("support", { ...support, call: { ...support.call, recording: { enabled: true, consent: say("Recorded.") } } });
    const ana = new MemoryCallLeg("ana");
    w.dialer.answerWith({ ok: true, leg: ana });
    const { leg, done } = w.call({ kind: "queue", queueId: "sales" });
    await settle();
    expect(w.results.map((r) => r.kind === "call_queue" && [r.queueId, r.result])).toEqual([
      ["sales", "overflowed"],
      ["support", "answered"],
    ]);
    // The support queue records its calls: the consent first, to both.
    expect(leg.transcript.at(-1)).toBe("Recorded.");
    expect(ana.transcript.at(-1)).toBe("Recorded.");
    expect(w.mixer.conferences[0]?.recordings).toHaveLength(1);
    leg.hangUp();
    await done;
  });

  it("conference mode off refuses participants; on, an expert can join", async () => {
    for (const conferenceMode of [false, true]) {
      const w = world({ agents: [{ id: "ana", extension: "1001" }], call: { conferenceMode } });
      const connections: CallConnection<CallTarget>[] = [];
      w.deps = { ...w.deps, onConnected: (connection) => connections.push(connection) };
      w.dialer.answerWith({ ok: true, leg: new MemoryCallLeg("ana") });
      w.dialer.answerWith({ ok: true, leg: new MemoryCallLeg("expert") });
      const leg = new MemoryCallLeg("caller");
      const done = runCallFlow(leg, { kind: "queue", queueId: "sales" }, w.deps, { tenantId: TENANT, callId: "c", caller: "+1" });
      await settle();
      const connection = connections[0];
      expect(connection?.state.participantsAllowed).toBe(conferenceMode);
      const adding = connection?.addParticipant({ kind: "extension", extension: "1002" });
      if (conferenceMode) await expect(adding).resolves.toBe("answered");
      else await expect(adding).rejects.toMatchObject({ code: "call.participants_not_allowed" });
      leg.hangUp();
      await done;
    }
  });

  it("an agent's blind transfer to another queue puts the caller back in line there", async () => {
    const w = world({ agents: [{ id: "ana", extension: "1001" }] });
    const connections: CallConnection<CallTarget>[] = [];
    w.deps = { ...w.deps, onConnected: (connection) => connections.push(connection) };
    const ana = new MemoryCallLeg("ana");
    w.dialer.answerWith({ ok: true, leg: ana });
    const leg = new MemoryCallLeg("caller");
    const done = runCallFlow(leg, { kind: "queue", queueId: "sales" }, w.deps, { tenantId: TENANT, callId: "c", caller: "+1" });
    await settle();
    await connections[0]?.handOff({ kind: "queue", queueId: "support" });
    await settle();
    expect(ana.hungUp?.by).toBe("platform");
    expect(leg.hungUp).toBeUndefined();
    expect(w.engine.listJobs().map((j) => [j.queueId, j.status])).toEqual([["support", "queued"]]);
    leg.hangUp();
    await done;
  });

  it("an agent whose phone refuses the call declines the offer; the next agent's phone rings", async () => {
    const w = world({
      agents: [
        { id: "ana", extension: "1001" },
        { id: "ben", extension: "1002" },
      ],
    });
    w.dialer.ringUntilTold();
    const { leg } = w.call({ kind: "queue", queueId: "sales" });
    await settle();
    const first = w.dialer.ringing[0];
    first?.fail({ ok: false, failure: "busy", status: 486 });
    await settle();
    const second = w.dialer.ringing[1];
    expect(second?.target.kind === "extension" && second.target.extension).not.toBe(
      first?.target.kind === "extension" && first.target.extension,
    );
    second?.answer(new MemoryCallLeg("ben-leg"));
    await settle();
    expect(w.engine.listJobs()[0]).toMatchObject({ status: "assigned" });
    leg.hangUp();
  });

  it("a caller who hangs up while an agent's phone rings: the job is cancelled and the ringing stops", async () => {
    const w = world({ agents: [{ id: "ana", extension: "1001" }] });
    w.dialer.ringUntilTold();
    const { leg, done } = w.call({ kind: "queue", queueId: "sales" });
    await settle();
    leg.hangUp();
    await done;
    await settle();
    expect(w.dialer.ringing[0]?.settled).toBe(true);
    expect(w.engine.listJobs()).toEqual([]);
    expect(w.results.at(-1)).toMatchObject({ result: "abandoned" });
  });
});
