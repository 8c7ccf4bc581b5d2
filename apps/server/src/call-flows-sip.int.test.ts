import type { AutoAttendant, AutoAttendantInput, CallTarget, Mailbox, Queue, QueueInput } from "@switchboard/protocol";
import { decodeWav } from "@switchboard/speech";
import { concat, silence, sineTone } from "@switchboard/telephony";
import { loudMs, SipTestClient, type TestCall, toneShare } from "@switchboard/telephony/testing";
import { afterAll, beforeAll, describe, type ExpectStatic, it } from "vitest";
import { type RunningServer, startSipServer } from "../testing/harness.js";
import {
  answeringPhone,
  type EndedCall,
  endedCallOf,
  hearsTone,
  hearsToneToTheEnd,
  putAway,
  stepsOf,
  toneWav,
} from "../testing/sip-flow-calls.js";

/**
 * Call flows made through the REST API, driven over real SIP and RTP on loopback (issue 6, "Done when"):
 * each call-queue exception (overflow, timeout, no agents) to each of the six redirect targets, and every
 * menu path of an auto attendant (each action, the operator, dial by name and by extension, voicemail
 * login, the no-input and invalid-input policies). Each test checks what the caller reaches by ear
 * (phones answer with a tone of their own; menu prompts and announcements are uploaded tones), and what
 * the call's timeline says (`flow.*` events) and the voicemail API keeps. One server for the file; the
 * calls are independent, so the tests run concurrently.
 */

let running: RunningServer;
let caller: SipTestClient;
/** The far end of the tenant's outbound trunk: answers every number with its tone. */
let carrier: SipTestClient;
const phones: SipTestClient[] = [];

/** Phones of the tenant, each answering with its own tone (Hz). */
const OPERATOR = { username: "flows-operator", extension: "3000", displayName: "Opal Front", tone: 1_450 };
const PERSON = { username: "flows-person", extension: "3001", displayName: "Pat Moreno", tone: 1_650 };
const YARA = { username: "flows-yara", extension: "3002", displayName: "Yara Zephyr", tone: 2_050 };
const YUSUF = { username: "flows-yusuf", extension: "3003", displayName: "Yusuf Zephyrine", tone: 2_250 };
/** The agent of the staffed call queue: a console user with a phone and a personal mailbox. */
const AGENT = {
  username: "flows-agent",
  extension: "3500",
  displayName: "Quinn Agent",
  tone: 1_850,
  email: "quinn.agent@demo.example",
  password: "quinn agent password",
  pin: "4321",
};
const PHONE_PASSWORD = "flows phone password";
const CARRIER_TONE = 2_850;

/** Prompts uploaded as tones, so the caller can tell which one plays (Hz). */
const MENU_TONE = 480;
const SUBMENU_TONE = 760;
const POLICY_MENU_TONE = 620;
const ANNOUNCEMENT_TONE = 2_450;
/** The greeting of the "landing" attendant (the one redirects send calls to), which then hangs up. */
const LANDING_TONE = 2_650;
/** The message waiting in the agent's mailbox, heard through the voicemail login. */
const STORED_MESSAGE_TONE = 1_250;
/** The beep before a voicemail recording. */
const BEEP = 1_000;
/** What callers say into voicemail. */
const CALLER_VOICE = 900;

const GOODBYE: CallTarget = { kind: "disconnect", message: "All our agents are busy. Please call again later. Goodbye." };

let landing: AutoAttendant;
let staffed: Queue;
let shared: Mailbox;
let agentIdentityId: string;
let agentMailbox: Mailbox;
let menuNumber: string;
let policyNumber: string;
let menuAttendant: AutoAttendant;
let policyAttendant: AutoAttendant;

const sipPort = () => running.server.telephony?.port ?? 0;
const registrar = () => `sip:127.0.0.1:${sipPort()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const admin = () => running.admin;

let numbers = 0;
/** A fresh number of the tenant answered by `entry`. */
async function numberFor(entry: CallTarget): Promise<string> {
  const e164 = `+1555031${String(numbers++).padStart(2, "0")}`;
  await admin().telephony.phoneNumbers.create({ e164, entry });
  return e164;
}

/** Calls the number from outside (the loopback trunk) and waits for the answer. */
async function dial(e164: string): Promise<TestCall> {
  const call = await caller.call(`sip:${e164}@127.0.0.1:${sipPort()}`);
  const answered = await call.answered;
  if (!answered?.ok) throw new Error(`${e164} was not answered: ${JSON.stringify(answered)}`);
  return call;
}

/** Hangs up unless the call is over already. */
async function hangUp(call: TestCall | undefined): Promise<void> {
  await call?.hangup().catch(() => undefined);
}

/** How the call ended for the caller, or "still up" after `ms`. */
async function endOf(call: TestCall, ms = 15_000): Promise<string> {
  const end = await Promise.race([call.ended, sleep(ms).then(() => undefined)]);
  return end ? `${end.by} ${end.cause}` : "still up";
}

async function upload(frequency: number, durationMs: number) {
  return { kind: "recording" as const, recordingId: (await admin().recordings.upload(toneWav(frequency, durationMs))).id };
}

beforeAll(async () => {
  running = await startSipServer({}, 300);
  const api = admin();
  const tenantId = (await api.tenants.current()).id;
  [caller, carrier] = await Promise.all([SipTestClient.start(), SipTestClient.start()]);
  carrier.acceptCalls({ play: concat(silence(200), sineTone(CARRIER_TONE, 60_000, 9_000)) });
  await api.telephony.trunks.create({
    name: "Test carrier",
    outbound: { host: "127.0.0.1", port: carrier.port, transport: "udp" },
  });

  // The agent: a console user with a phone, a personal mailbox holding one message, in the staffed queue.
  const user = await api.users.create({
    email: AGENT.email,
    displayName: AGENT.displayName,
    role: "agent",
    password: AGENT.password,
  });
  agentIdentityId = user.identityId;
  for (const person of [OPERATOR, PERSON, YARA, YUSUF, AGENT]) {
    await api.telephony.sipAccounts.create({
      username: person.username,
      extension: person.extension,
      displayName: person.displayName,
      password: PHONE_PASSWORD,
      ...(person === AGENT ? { userId: user.id } : {}),
    });
  }
  phones.push(
    ...(await Promise.all(
      [OPERATOR, PERSON, YARA, YUSUF, AGENT].map((p) =>
        answeringPhone(registrar(), { username: p.username, password: PHONE_PASSWORD }, p.tone),
      ),
    )),
  );
  agentMailbox = await api.mailboxes.create({ name: AGENT.displayName, ownerUserId: user.id, pin: AGENT.pin });
  const { domain } = running.server;
  const stored = await domain.recordings.save({ tenantId, audio: sineTone(STORED_MESSAGE_TONE, 1_500, 9_000) });
  await domain.flows.voicemail.addMessage({
    id: "flows-sip-stored-message",
    tenantId,
    mailboxId: agentMailbox.id,
    callId: "an-earlier-call",
    caller: "42",
    recordingId: stored.id,
    durationMs: stored.durationMs,
    transcript: null,
    heard: false,
    createdAt: new Date(),
  });
  staffed = await api.queues.create({
    name: "Flows staffed line",
    alertSeconds: 15,
    wrapUpSeconds: 0,
    call: { announceEverySeconds: 0 },
  });
  await api.workers.update(agentIdentityId, {
    capacity: 10,
    channelCosts: { chat: 1, voice: 1 },
    queueIds: [staffed.id],
  });
  const { token } = await running.client("").auth.signIn({ tenant: "demo", email: AGENT.email, password: AGENT.password });
  await running.client(token).agent.setPresence("available");

  shared = await api.mailboxes.create({ name: "Flows shared voicemail", greeting: { kind: "speech", text: "Leave a message." } });
  landing = await api.autoAttendants.create({
    name: "Flows landing",
    businessHours: { greeting: await upload(LANDING_TONE, 1_200), menu: null, target: { kind: "disconnect" } },
  });

  const [menuPrompt, submenuPrompt, policyPrompt, announcement] = await Promise.all([
    upload(MENU_TONE, 1_200),
    upload(SUBMENU_TONE, 1_200),
    upload(POLICY_MENU_TONE, 1_000),
    upload(ANNOUNCEMENT_TONE, 1_000),
  ]);
  const menu: AutoAttendantInput = {
    name: "Flows menu paths",
    businessHours: {
      greeting: null,
      menu: {
        prompt: menuPrompt,
        options: [
          { key: "1", action: { kind: "redirect", target: GOODBYE } },
          { key: "2", action: { kind: "redirect", target: { kind: "person", extension: PERSON.extension } } },
          { key: "3", action: { kind: "redirect", target: { kind: "auto_attendant", autoAttendantId: landing.id } } },
          { key: "4", action: { kind: "redirect", target: { kind: "queue", queueId: staffed.id } } },
          { key: "5", action: { kind: "redirect", target: { kind: "external_number", number: "+14155550150" } } },
          { key: "6", action: { kind: "redirect", target: { kind: "voicemail", mailboxId: shared.id } } },
          { key: "7", action: { kind: "announcement", announcement } },
          {
            key: "8",
            action: {
              kind: "submenu",
              menu: {
                prompt: submenuPrompt,
                options: [
                  { key: "1", action: { kind: "redirect", target: { kind: "person", extension: YARA.extension } } },
                  { key: "2", action: { kind: "repeat" } },
                  { key: "*", action: { kind: "back" } },
                ],
              },
            },
          },
          { key: "9", action: { kind: "dial_by_name" } },
          { key: "#", action: { kind: "dial_by_extension" } },
          { key: "*", action: { kind: "voicemail_login" } },
          { key: "0", action: { kind: "operator" } },
        ],
      },
    },
    operator: { kind: "person", extension: OPERATOR.extension },
  };
  menuAttendant = await api.autoAttendants.create(menu);
  policyAttendant = await api.autoAttendants.create({
    name: "Flows input policies",
    businessHours: {
      greeting: null,
      menu: { prompt: policyPrompt, options: [{ key: "1", action: { kind: "redirect", target: GOODBYE } }] },
    },
    noInput: { retries: 1, target: { kind: "auto_attendant", autoAttendantId: landing.id } },
    invalidInput: { retries: 2, target: { kind: "person", extension: OPERATOR.extension } },
  });
  menuNumber = await numberFor({ kind: "auto_attendant", autoAttendantId: menuAttendant.id });
  policyNumber = await numberFor({ kind: "auto_attendant", autoAttendantId: policyAttendant.id });
}, 60_000);

afterAll(async () => {
  await Promise.all(phones.map((p) => putAway(p)));
  await caller?.close();
  await carrier?.close();
  await running?.close();
});

/** The caller's voicemail: after the beep, 1.2 s of their voice, then `#`; the mailbox thanks them and hangs up. */
async function leaveMessage(expect: ExpectStatic, call: TestCall): Promise<void> {
  expect(await hearsTone(call, BEEP, 15_000), "the beep before the recording").toBe(true);
  await call.play(concat(sineTone(CALLER_VOICE, 1_200, 9_000), silence(200)));
  await call.sendDtmf("#");
  expect(await endOf(call), "the mailbox hangs up once the message is saved").toBe("remote bye");
}

/** The message the timeline says was left is in the mailbox, on this call, and is the caller's voice. */
async function checkMessageLeft(expect: ExpectStatic, { record, events }: EndedCall, mailboxId: string): Promise<void> {
  const [left] = stepsOf(events, "flow.voicemail");
  expect(left).toMatchObject({ kind: "voicemail", mailboxId, result: "message_left", messageId: expect.any(String) });
  const messageId = String(left?.messageId);
  const message = await admin().mailboxes.getMessage(messageId);
  expect(message).toMatchObject({ mailboxId, callId: record.id, heard: false });
  expect(message.durationMs).toBeGreaterThan(800);
  expect((await admin().mailboxes.messages(mailboxId)).map((m) => m.id)).toContain(messageId);
  const audio = decodeWav(new Uint8Array(await (await admin().mailboxes.messageAudio(messageId)).arrayBuffer()));
  expect(toneShare(audio, CALLER_VOICE), "the stored message is what the caller said").toBeGreaterThan(0.3);
}

/** A message was said to the end after `afterType`, then the flow hung up. */
function checkSaidAndHungUp(expect: ExpectStatic, { record, events }: EndedCall, afterType: string): void {
  expect(record.hangupCause).toMatchObject({ by: "platform", reason: "disconnected by the flow" });
  const from = events.findIndex((e) => e.type === afterType);
  expect(from).toBeGreaterThanOrEqual(0);
  const played = events
    .slice(from)
    .filter((e) => e.type === "play.ended")
    .map((e) => (e.data as { outcome: { ended: string } }).outcome.ended);
  expect(played, "the message is played to its end before the hang-up").toContain("finished");
}

/** The caller heard speech up to the hang-up (the message is the last thing said). */
function checkSpeechAtTheEnd(expect: ExpectStatic, call: TestCall): void {
  const heard = call.recording();
  expect(loudMs(heard.subarray(Math.max(0, heard.length - 12_000)), 300)).toBeGreaterThan(400);
}

// ---------------------------------------------------------------- call-queue exceptions

interface Exception {
  readonly name: string;
  readonly result: "overflowed" | "timed_out" | "no_agents";
  readonly code: string;
  readonly rule: (target: CallTarget) => Partial<QueueInput>;
}

const EXCEPTIONS: readonly Exception[] = [
  { name: "overflow", result: "overflowed", code: "01", rule: (target) => ({ overflow: { threshold: 0, target } }) },
  { name: "timeout", result: "timed_out", code: "02", rule: (target) => ({ timeout: { seconds: 1, target } }) },
  {
    name: "no agents",
    result: "no_agents",
    code: "03",
    rule: (target) => ({ noAgents: { when: "none_signed_in", target } }),
  },
];

interface QueueTarget {
  readonly name: string;
  /** What the caller reaches, for the test's name. */
  readonly reaches: string;
  readonly target: (exception: Exception) => CallTarget;
  /** What the caller does and hears once the exception sends it on; the call is over when it returns. */
  readonly reach: (expect: ExpectStatic, call: TestCall, target: CallTarget) => Promise<void>;
  /** What the call's record, timeline and the API say about the target. */
  readonly check: (expect: ExpectStatic, ended: EndedCall, target: CallTarget, call: TestCall) => Promise<void> | void;
}

const QUEUE_TARGETS: readonly QueueTarget[] = [
  {
    name: "hang up with a message",
    reaches: "the caller hears the message, then the call is hung up",
    target: () => GOODBYE,
    reach: async (expect, call) => {
      expect(await endOf(call), "the flow hangs up").toBe("remote bye");
    },
    check: (expect, ended, _target, call) => {
      checkSaidAndHungUp(expect, ended, "flow.call_queue");
      checkSpeechAtTheEnd(expect, call);
    },
  },
  {
    name: "a person by extension",
    reaches: "the person's registered phone answers and is bridged to the caller",
    target: () => ({ kind: "person", extension: PERSON.extension }),
    reach: async (expect, call) => {
      expect(await hearsTone(call, PERSON.tone, 15_000), "the person's phone is heard").toBe(true);
      await call.hangup();
    },
    check: (expect, { record, events }) => {
      expect(stepsOf(events, "flow.person")).toEqual([{ kind: "person", extension: PERSON.extension, result: "answered" }]);
      expect(record.legs.filter((l) => l.role !== "caller" && l.answeredAt !== null)).toHaveLength(1);
    },
  },
  {
    name: "another auto attendant",
    reaches: "the caller hears that attendant's greeting and its flow",
    target: () => ({ kind: "auto_attendant", autoAttendantId: landing.id }),
    reach: async (expect, call) => {
      expect(await hearsTone(call, LANDING_TONE, 15_000), "the other attendant's greeting").toBe(true);
      expect(await endOf(call), "that attendant hangs up after its greeting").toBe("remote bye");
    },
    check: (expect, { events }) => {
      expect(stepsOf(events, "flow.auto_attendant")).toEqual([
        expect.objectContaining({ autoAttendantId: landing.id, result: "disconnected", path: [] }),
      ]);
    },
  },
  {
    name: "another call queue",
    reaches: "the call waits there and that queue's agent answers",
    target: () => ({ kind: "queue", queueId: staffed.id }),
    reach: async (expect, call) => {
      expect(await hearsTone(call, AGENT.tone, 20_000), "the other queue's agent is heard").toBe(true);
      await call.hangup();
    },
    check: (expect, { events }) => {
      const steps = stepsOf(events, "flow.call_queue");
      expect(steps).toHaveLength(2);
      // The answer counts for the queue that answered, not the one the call left.
      expect(steps[1]).toMatchObject({ queueId: staffed.id, result: "answered", workerId: agentIdentityId, target: null });
    },
  },
  {
    name: "an external number",
    reaches: "the call goes out through the outbound trunk and the far end is bridged to the caller",
    target: (exception) => ({ kind: "external_number", number: `+141555502${exception.code}` }),
    reach: async (expect, call, target) => {
      expect(await hearsTone(call, CARRIER_TONE, 15_000), "the far end of the trunk is heard").toBe(true);
      const number = target.kind === "external_number" ? target.number : "";
      expect(carrier.incomingLegs.map((l) => l.requestUri)).toContainEqual(expect.stringContaining(`sip:${number}@`));
      await call.hangup();
    },
    check: (expect, { events }, target) => {
      const number = target.kind === "external_number" ? target.number : "";
      expect(stepsOf(events, "flow.external_number")).toEqual([{ kind: "external_number", e164: number, result: "answered" }]);
    },
  },
  {
    name: "a shared voicemail",
    reaches: "the caller leaves a message, which is stored in the mailbox",
    target: () => ({ kind: "voicemail", mailboxId: shared.id }),
    reach: (expect, call) => leaveMessage(expect, call),
    check: (expect, ended) => checkMessageLeft(expect, ended, shared.id),
  },
];

let queues = 0;
/** Makes a queue with the exception's rule to the target, calls it, and lets the caller reach the target. */
async function throughQueue(
  expect: ExpectStatic,
  exception: Exception,
  destination: QueueTarget,
): Promise<{ queue: Queue; call: TestCall; target: CallTarget; ended: EndedCall }> {
  const target = destination.target(exception);
  const queue = await admin().queues.create({
    name: `Flows ${exception.name} to ${destination.name} #${++queues}`,
    call: { announceEverySeconds: 0 },
    ...exception.rule(target),
  });
  const call = await dial(await numberFor({ kind: "queue", queueId: queue.id }));
  try {
    await destination.reach(expect, call, target);
  } finally {
    await hangUp(call);
  }
  return { queue, call, target, ended: await endedCallOf(admin(), call) };
}

describe.concurrent("a call queue's exceptions send the caller to each redirect target", () => {
  for (const exception of EXCEPTIONS) {
    for (const destination of QUEUE_TARGETS) {
      it(`${exception.name} → ${destination.name}: ${destination.reaches}`, async ({ expect }) => {
        const { queue, call, target, ended } = await throughQueue(expect, exception, destination);
        expect(ended.record.entry).toBe(`queue:${queue.id}`);
        const [left] = stepsOf(ended.events, "flow.call_queue");
        expect(left).toMatchObject({ kind: "call_queue", queueId: queue.id, result: exception.result, workerId: null, target });
        const waited = Number(left?.waitedMs);
        if (exception.name === "timeout") expect(waited).toBeGreaterThanOrEqual(1_000);
        else expect(waited).toBeLessThan(1_000);
        await destination.check(expect, ended, target, call);
      }, 40_000);
    }
  }
});

// ---------------------------------------------------------------- auto attendant menus

/** Calls the attendant's number and waits until its menu prompt (a tone) has been played to the end. */
async function atMenu(expect: ExpectStatic, e164: string, promptTone: number): Promise<TestCall> {
  const call = await dial(e164);
  expect(await hearsToneToTheEnd(call, promptTone, 10_000), "the menu prompt").toBe(true);
  return call;
}

/** The attendant step of the menu-paths attendant on the call's timeline. */
function menuStep(events: EndedCall["events"]): Record<string, unknown> | undefined {
  return stepsOf(events, "flow.auto_attendant").find((s) => s.autoAttendantId === menuAttendant.id);
}

describe.concurrent("an auto attendant's menu sends each key where it should", () => {
  const person = (p: { extension: string }): CallTarget => ({ kind: "person", extension: p.extension });

  /** Presses `key` at the menu: the phone at the extension answers (its tone is heard), as the timeline says. */
  async function keyRingsPhone(
    expect: ExpectStatic,
    key: string,
    phone: { extension: string; tone: number },
    result: "transferred_to_user" | "transferred_to_operator",
  ): Promise<void> {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf(key);
      expect(await hearsTone(call, phone.tone, 15_000), `the phone at ${phone.extension}`).toBe(true);
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({ result, path: [key], target: person(phone) });
    expect(stepsOf(events, "flow.person")).toEqual([{ kind: "person", extension: phone.extension, result: "answered" }]);
  }

  it("1 (redirect: hang up with a message): the caller hears the message, then the attendant hangs up", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    await call.sendDtmf("1");
    expect(await endOf(call)).toBe("remote bye");
    const ended = await endedCallOf(admin(), call);
    expect(menuStep(ended.events)).toMatchObject({
      version: 1,
      period: "business_hours",
      result: "disconnected",
      path: ["1"],
      target: GOODBYE,
    });
    checkSaidAndHungUp(expect, ended, "flow.auto_attendant");
    checkSpeechAtTheEnd(expect, call);
  }, 30_000);

  it("2 (redirect: a person): the person's registered phone answers and is bridged to the caller", async ({ expect }) => {
    await keyRingsPhone(expect, "2", PERSON, "transferred_to_user");
  }, 30_000);

  it("3 (redirect: another auto attendant): the caller hears that attendant's greeting, and it hangs up", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    await call.sendDtmf("3");
    expect(await hearsTone(call, LANDING_TONE, 10_000), "the other attendant's greeting").toBe(true);
    expect(await endOf(call)).toBe("remote bye");
    const { events } = await endedCallOf(admin(), call);
    expect(stepsOf(events, "flow.auto_attendant")).toEqual([
      expect.objectContaining({
        autoAttendantId: menuAttendant.id,
        result: "transferred_to_attendant",
        path: ["3"],
        target: { kind: "auto_attendant", autoAttendantId: landing.id },
      }),
      expect.objectContaining({ autoAttendantId: landing.id, result: "disconnected", path: [] }),
    ]);
  }, 30_000);

  it("4 (redirect: a call queue): the queue's available agent answers on their phone", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("4");
      expect(await hearsTone(call, AGENT.tone, 15_000), "the agent's phone").toBe(true);
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({
      result: "transferred_to_queue",
      path: ["4"],
      target: { kind: "queue", queueId: staffed.id },
    });
    expect(stepsOf(events, "flow.call_queue")).toEqual([
      expect.objectContaining({ queueId: staffed.id, result: "answered", workerId: agentIdentityId }),
    ]);
  }, 30_000);

  it("5 (redirect: an external number): the call goes out through the outbound trunk to that number", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("5");
      expect(await hearsTone(call, CARRIER_TONE, 15_000), "the far end of the trunk").toBe(true);
      expect(carrier.incomingLegs.map((l) => l.requestUri)).toContainEqual(expect.stringContaining("sip:+14155550150@"));
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({ result: "transferred_to_number", path: ["5"] });
    expect(stepsOf(events, "flow.external_number")).toEqual([
      { kind: "external_number", e164: "+14155550150", result: "answered" },
    ]);
  }, 30_000);

  it("6 (redirect: a shared voicemail): the caller's message is stored in the mailbox", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("6");
      await leaveMessage(expect, call);
    } finally {
      await hangUp(call);
    }
    const ended = await endedCallOf(admin(), call);
    expect(menuStep(ended.events)).toMatchObject({
      result: "shared_voicemail",
      path: ["6"],
      target: { kind: "voicemail", mailboxId: shared.id },
    });
    await checkMessageLeft(expect, ended, shared.id);
  }, 30_000);

  it("7 (announcement): the announcement plays, then the menu again, whose next key is taken", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("7");
      expect(await hearsToneToTheEnd(call, ANNOUNCEMENT_TONE, 10_000), "the announcement").toBe(true);
      expect(await hearsToneToTheEnd(call, MENU_TONE, 10_000), "the menu, offered again").toBe(true);
      await call.sendDtmf("1");
      expect(await endOf(call)).toBe("remote bye");
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({ result: "disconnected", path: ["7", "1"] });
  }, 30_000);

  it("8 (submenu): the submenu's prompt plays, and its own keys apply", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("8");
      expect(await hearsToneToTheEnd(call, SUBMENU_TONE, 10_000), "the submenu's prompt").toBe(true);
      await call.sendDtmf("1");
      expect(await hearsTone(call, YARA.tone, 15_000), "the submenu's 1: Yara's phone").toBe(true);
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({ result: "transferred_to_user", path: ["8", "1"], target: person(YARA) });
  }, 30_000);

  it("8 then 2 (repeat, in the submenu): the submenu's prompt plays again", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("8");
      expect(await hearsToneToTheEnd(call, SUBMENU_TONE, 10_000), "the submenu's prompt").toBe(true);
      await call.sendDtmf("2");
      expect(await hearsToneToTheEnd(call, SUBMENU_TONE, 10_000), "the submenu's prompt, repeated").toBe(true);
      await call.sendDtmf("1");
      expect(await hearsTone(call, YARA.tone, 15_000), "still in the submenu: its 1 rings Yara").toBe(true);
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({ result: "transferred_to_user", path: ["8", "2", "1"], target: person(YARA) });
  }, 30_000);

  it("8 then * (back, in the submenu): the top menu plays again and takes its own keys", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("8");
      expect(await hearsToneToTheEnd(call, SUBMENU_TONE, 10_000), "the submenu's prompt").toBe(true);
      await call.sendDtmf("*");
      expect(await hearsToneToTheEnd(call, MENU_TONE, 10_000), "the top menu again").toBe(true);
      // 1 is the top menu's hang-up now, not the submenu's person.
      await call.sendDtmf("1");
      expect(await endOf(call)).toBe("remote bye");
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({ result: "disconnected", path: ["8", "*", "1"], target: GOODBYE });
  }, 30_000);

  it("9 (dial by name): the letters of one person's name put the caller through to their phone", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("9");
      await sleep(1_000);
      // Y-A-R-A: only Yara Zephyr.
      await call.sendDtmf("9272#");
      expect(await hearsTone(call, YARA.tone, 15_000), "Yara's phone").toBe(true);
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({ result: "transferred_to_user", path: ["9"], target: person(YARA) });
    expect(stepsOf(events, "flow.person")).toEqual([{ kind: "person", extension: YARA.extension, result: "answered" }]);
  }, 30_000);

  it("9 (dial by name), several matches: they are read back and the caller's choice is put through", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("9");
      await sleep(1_000);
      // Z-E-P: Yara Zephyr (1) and Yusuf Zephyrine (2), read back in that order.
      await call.sendDtmf("937#");
      await sleep(1_500);
      await call.sendDtmf("2");
      expect(await hearsTone(call, YUSUF.tone, 20_000), "Yusuf's phone").toBe(true);
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({ result: "transferred_to_user", path: ["9"], target: person(YUSUF) });
  }, 30_000);

  it("# (dial by extension): the keyed extension's phone answers", async ({ expect }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("#");
      await sleep(800);
      await call.sendDtmf(`${YUSUF.extension}#`);
      expect(await hearsTone(call, YUSUF.tone, 15_000), "the phone of the extension keyed").toBe(true);
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({ result: "transferred_to_user", path: ["#"], target: person(YUSUF) });
    expect(stepsOf(events, "flow.person")).toEqual([{ kind: "person", extension: YUSUF.extension, result: "answered" }]);
  }, 30_000);

  it("* (voicemail login): extension and PIN open the mailbox, whose message plays and is then marked heard", async ({
    expect,
  }) => {
    const call = await atMenu(expect, menuNumber, MENU_TONE);
    try {
      await call.sendDtmf("*");
      await sleep(1_000);
      await call.sendDtmf(`${AGENT.extension}#`);
      await sleep(1_500);
      await call.sendDtmf(`${AGENT.pin}#`);
      expect(await hearsTone(call, STORED_MESSAGE_TONE, 20_000), "the stored message").toBe(true);
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(menuStep(events)).toMatchObject({ result: "voicemail_menu", path: ["*"], target: null });
    const messages = await admin().mailboxes.messages(agentMailbox.id);
    expect(messages).toEqual([expect.objectContaining({ id: "flows-sip-stored-message", heard: true })]);
  }, 30_000);

  it("0 (operator): the operator's phone answers", async ({ expect }) => {
    await keyRingsPhone(expect, "0", OPERATOR, "transferred_to_operator");
  }, 30_000);

  it("no input: the menu is offered again (one retry), then the call goes to the no-input target", async ({ expect }) => {
    const call = await atMenu(expect, policyNumber, POLICY_MENU_TONE);
    try {
      // Nothing pressed: "Sorry, I did not get that", the menu again, then the other attendant.
      expect(await hearsToneToTheEnd(call, POLICY_MENU_TONE, 12_000), "the menu, offered again").toBe(true);
      expect(await hearsTone(call, LANDING_TONE, 12_000), "the no-input target's greeting").toBe(true);
      expect(await endOf(call)).toBe("remote bye");
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(stepsOf(events, "flow.auto_attendant")).toEqual([
      expect.objectContaining({
        autoAttendantId: policyAttendant.id,
        result: "no_input",
        path: [],
        target: { kind: "auto_attendant", autoAttendantId: landing.id },
      }),
      expect.objectContaining({ autoAttendantId: landing.id, result: "disconnected" }),
    ]);
  }, 40_000);

  it("invalid input: 'not an option' and the menu again (two retries), then the invalid-input target", async ({ expect }) => {
    const call = await atMenu(expect, policyNumber, POLICY_MENU_TONE);
    try {
      await call.sendDtmf("5");
      expect(await hearsToneToTheEnd(call, POLICY_MENU_TONE, 10_000), "the menu, after the first mistake").toBe(true);
      await call.sendDtmf("5");
      expect(await hearsToneToTheEnd(call, POLICY_MENU_TONE, 10_000), "the menu, after the second mistake").toBe(true);
      await call.sendDtmf("5");
      expect(await hearsTone(call, OPERATOR.tone, 15_000), "the invalid-input target: the operator's phone").toBe(true);
    } finally {
      await hangUp(call);
    }
    const { events } = await endedCallOf(admin(), call);
    expect(stepsOf(events, "flow.auto_attendant")).toEqual([
      expect.objectContaining({
        autoAttendantId: policyAttendant.id,
        result: "invalid_input",
        path: ["5", "5", "5"],
        target: person(OPERATOR),
      }),
    ]);
  }, 30_000);
});
