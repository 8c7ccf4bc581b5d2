import * as core from "@switchboard/core";
import type { SwitchboardClient } from "@switchboard/sdk";
import { decodeWav } from "@switchboard/speech";
import { concat, silence, sineTone } from "@switchboard/telephony";
import { SipTestClient, type TestCall, toneShare } from "@switchboard/telephony/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eventually, listen, loudness } from "../testing/call-checks.js";
import { type RunningServer, startSipServer } from "../testing/harness.js";
import { DEMO_AGENTS } from "./demo/northwind.js";

/**
 * Connected calls controlled through the API, over real SIP and RTP on loopback: a caller reaches a call
 * queue (conference mode on, recording with consent) where Ana's registered phone answers; Ana's own token
 * then adds Ben as an expert (three parties hear each other), mutes him, consults him and hands him the
 * call, transfers the caller blind into a shared mailbox, holds the caller, and the queue's recording is
 * downloaded. Each phone plays a tone of its own, so who hears whom is measured in the audio.
 */

let running: RunningServer;
let caller: SipTestClient;
let ana: SipTestClient;
let ben: SipTestClient;
let asAna: SwitchboardClient;
let asBen: SwitchboardClient;
let number: string;

const [ANA, BEN] = DEMO_AGENTS;
const ANA_TONE = 1_000;
const BEN_TONE = 1_300;
const CALLER_TONE = 700;

const sipPort = () => running.server.telephony?.port ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function phone(agent: (typeof DEMO_AGENTS)[number], tone: number): Promise<SipTestClient> {
  const client = await SipTestClient.start();
  const registered = await client.register(`sip:127.0.0.1:${sipPort()}`, {
    username: agent.sip.username,
    password: agent.sip.password,
  });
  expect(registered.ok).toBe(true);
  client.acceptCalls({ play: concat(silence(200), sineTone(tone, 60_000, 9_000)) });
  return client;
}

beforeAll(async () => {
  running = await startSipServer();
  const { domain } = running.server;
  const tenant = await domain.identity.store.getTenantBySlug("demo");
  const tenantId = tenant?.id ?? "";
  // A queue of Ana's alone, in conference mode, recording its calls after a consent announcement.
  const queue = await running.admin.queues.create({
    name: "Experts line",
    // Ana takes the next test's call at once.
    wrapUpSeconds: 0,
    call: {
      greeting: null,
      music: null,
      announceEverySeconds: 0,
      announcePosition: false,
      announceExpectedWait: false,
      conferenceMode: true,
      recording: { enabled: true, consent: { kind: "speech", text: "This call is recorded." } },
    },
  });
  number = "+15550177";
  await running.admin.telephony.phoneNumbers.create({ e164: number, entry: { kind: "queue", queueId: queue.id } });
  const users = await running.admin.users.list();
  const identityOf = (email: string) => users.find((u) => u.email === email)?.identityId ?? "";
  await domain.routing.updateWorker(tenantId, identityOf(ANA.email), {
    ...core.defaultWorkerSettings,
    capacity: 1,
    channelCosts: { chat: 1, voice: 1 },
    queueIds: [queue.id],
  });
  // Ben answers only when he is called: he takes no queue calls.
  await domain.routing.setPresence(tenantId, identityOf(BEN.email), "away");
  caller = await SipTestClient.start();
  ana = await phone(ANA, ANA_TONE);
  ben = await phone(BEN, BEN_TONE);
  const signIn = async (agent: (typeof DEMO_AGENTS)[number]) =>
    running.client(
      (await running.client("").auth.signIn({ tenant: "demo", email: agent.email, password: agent.password })).token,
    );
  asAna = await signIn(ANA);
  asBen = await signIn(BEN);
}, 60_000);

afterAll(async () => {
  for (const client of [caller, ana, ben]) await client?.close();
  await running?.close();
});

/** Calls a test started: a failed test must not leave them connected (Ana takes one call at a time). */
const opened: TestCall[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((call) => call.hangup().catch(() => undefined)));
  await eventually(() => (running.server.domain.liveCalls.size === 0 ? true : undefined));
});

/** Calls the queue and waits until Ana's phone answered and the consented recording runs. */
async function connectedCall(): Promise<{ call: TestCall; anaSide: TestCall; callId: string }> {
  const call = await caller.call(`sip:${number}@127.0.0.1:${sipPort()}`);
  opened.push(call);
  expect((await call.answered)?.ok).toBe(true);
  void call.play(sineTone(CALLER_TONE, 120_000, 9_000));
  const anaSide = await ana.nextCall();
  const callId = await eventually(async () => (await running.admin.telephony.calls.list({ limit: 1 })).items[0]?.id);
  await eventually(async () => ((await asAna.telephony.liveCalls.get(callId)).recording === "on" ? true : undefined), 20_000);
  return { call, anaSide, callId };
}

describe("a connected call controlled through the API", () => {
  it("adds an expert the three hear; a muted expert is not heard; the consented recording downloads", async () => {
    const { call, anaSide, callId } = await connectedCall();
    // The caller heard the consent announcement before the recording started.
    const timeline = await running.admin.telephony.calls.allEvents(callId);
    expect(timeline.find((e) => e.type === "recording.started")?.data).toEqual({ consent: true });
    expect(toneShare(await listen(call, 800), ANA_TONE)).toBeGreaterThan(0.5);

    // Only the agents on the call (and supervisors, admins) may control it.
    await expect(asBen.telephony.liveCalls.get(callId)).rejects.toMatchObject({ status: 403, code: "call.not_a_party" });
    const other = await running.platform.tenants.create({ slug: "other-live", name: "Other" });
    await expect(running.client(other.apiKey.key).telephony.liveCalls.get(callId)).rejects.toMatchObject({
      status: 404,
      code: "call.not_connected",
    });

    const added = await asAna.telephony.liveCalls.addParticipant(callId, { kind: "person", extension: BEN.sip.extension });
    expect(added.outcome).toBe("answered");
    expect(added.call?.parties.map((p) => [p.role, p.extension])).toEqual([
      ["caller", null],
      ["agent", ANA.sip.extension],
      ["participant", BEN.sip.extension],
    ]);
    const benSide = await ben.nextCall();
    await sleep(400);
    const [callerHears, anaHears, benHears] = await Promise.all([
      listen(call, 1_000),
      listen(anaSide, 1_000),
      listen(benSide, 1_000),
    ]);
    console.log(
      `three parties: caller hears Ana ${share(callerHears, ANA_TONE)}, Ben ${share(callerHears, BEN_TONE)}; ` +
        `Ana hears caller ${share(anaHears, CALLER_TONE)}, Ben ${share(anaHears, BEN_TONE)}; ` +
        `Ben hears caller ${share(benHears, CALLER_TONE)}, Ana ${share(benHears, ANA_TONE)}`,
    );
    for (const [heard, tones] of [
      [callerHears, [ANA_TONE, BEN_TONE]],
      [anaHears, [CALLER_TONE, BEN_TONE]],
      [benHears, [CALLER_TONE, ANA_TONE]],
    ] as const) {
      for (const tone of tones) expect(toneShare(heard, tone)).toBeGreaterThan(0.25);
    }
    // Ben muted: the caller hears Ana only; Ben still hears the call.
    const benLeg = added.call?.parties[2]?.legId ?? "";
    const muted = await asAna.telephony.liveCalls.mute(callId, benLeg, true);
    expect(muted.parties[2]?.muted).toBe(true);
    await sleep(300);
    const whileMuted = await listen(call, 800);
    expect(toneShare(whileMuted, BEN_TONE)).toBeLessThan(0.05);
    expect(toneShare(whileMuted, ANA_TONE)).toBeGreaterThan(0.8);
    expect(toneShare(await listen(benSide, 600), ANA_TONE)).toBeGreaterThan(0.25);

    const stopped = await asAna.telephony.liveCalls.record(callId, "stop");
    expect(stopped).toMatchObject({ recording: "off", recordingId: expect.any(String) });
    // In the library as a call recording of this call (what retention expires).
    expect(await running.admin.recordings.get(stopped.recordingId ?? "")).toMatchObject({ kind: "call", callId });
    const wav = await running.admin.telephony.calls.recording(callId, stopped.recordingId ?? "");
    const audio = decodeWav(new Uint8Array(await wav.arrayBuffer()));
    console.log(
      `recording: ${(audio.length / 8000).toFixed(1)} s, Ana ${share(audio, ANA_TONE)}, caller ${share(audio, CALLER_TONE)}`,
    );
    expect(audio.length / 8000).toBeGreaterThan(2);
    // Both sides of the call are in the recording.
    expect(toneShare(audio, ANA_TONE)).toBeGreaterThan(0.15);
    expect(toneShare(audio, CALLER_TONE)).toBeGreaterThan(0.15);
    // Agents cannot download recordings; supervisors and admins can.
    await expect(asAna.telephony.calls.recording(callId, stopped.recordingId ?? "")).rejects.toMatchObject({ status: 403 });

    await call.hangup();
    await Promise.all([anaSide.ended, benSide.ended]);
    const record = await eventually(async () => {
      const found = await running.admin.telephony.calls.get(callId);
      return found.state === "ended" ? found : undefined;
    });
    expect(record.recordingIds).toContain(stopped.recordingId);
    const types = (await running.admin.telephony.calls.allEvents(callId)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(["participant.joined", "participant.muted", "recording.started", "recording.stopped"]),
    );
    await expect(asAna.telephony.liveCalls.get(callId)).rejects.toMatchObject({ status: 404 });
  }, 60_000);

  it("consults Ben while the caller hears hold music, then hands the caller to him", async () => {
    const { call, anaSide, callId } = await connectedCall();
    const consulted = await asAna.telephony.liveCalls.transfer(
      callId,
      { kind: "person", extension: BEN.sip.extension },
      "consult",
    );
    expect(consulted.outcome).toBe("answered");
    expect(consulted.call?.consultation).toMatchObject({ state: "talking" });
    expect(consulted.call?.callerHeld).toBe(true);
    const benSide = await ben.nextCall();
    await sleep(400);
    const [callerHears, anaHears, benHears] = await Promise.all([
      listen(call, 1_000),
      listen(anaSide, 1_000),
      listen(benSide, 1_000),
    ]);
    // The caller hears the music, not the private talk; Ana and Ben hear each other, not the caller.
    expect(loudness(callerHears)).toBeGreaterThan(300);
    expect(toneShare(callerHears, ANA_TONE) + toneShare(callerHears, BEN_TONE)).toBeLessThan(0.1);
    expect(toneShare(anaHears, BEN_TONE)).toBeGreaterThan(0.8);
    expect(toneShare(benHears, ANA_TONE)).toBeGreaterThan(0.8);

    const completed = await asAna.telephony.liveCalls.consultation(callId, "complete");
    expect(completed.call?.parties.map((p) => [p.role, p.extension])).toEqual([
      ["caller", null],
      ["agent", BEN.sip.extension],
    ]);
    await anaSide.ended;
    await sleep(300);
    expect(toneShare(await listen(call, 800), BEN_TONE)).toBeGreaterThan(0.8);
    expect(toneShare(await listen(benSide, 800), CALLER_TONE)).toBeGreaterThan(0.8);
    // Ben now handles the call: his token controls it, and Ana's no longer does.
    await asBen.telephony.liveCalls.hold(callId, true);
    await sleep(300);
    const held = await listen(call, 800);
    expect(toneShare(held, BEN_TONE)).toBeLessThan(0.1);
    expect(loudness(held)).toBeGreaterThan(300);
    await asBen.telephony.liveCalls.hold(callId, false);
    await expect(asAna.telephony.liveCalls.get(callId)).rejects.toMatchObject({ status: 403 });
    await call.hangup();
    await benSide.ended;
    const events = await eventually(async () => {
      const all = await running.admin.telephony.calls.allEvents(callId);
      return all.some((e) => e.type === "recording.stopped") ? all : undefined;
    });
    expect(events.find((e) => e.type === "transfer.completed")?.data).toMatchObject({ mode: "consult" });
  }, 60_000);

  it("an agent's desk phone transfers after consulting: hold, call Ben, transfer with Replaces; Ben has the caller", async () => {
    const { call, anaSide, callId } = await connectedCall();
    await anaSide.hold();
    // Ana's phone calls Ben's extension: the consultation is a call of its own.
    const consult = await ana.call(`sip:${BEN.sip.extension}@127.0.0.1:${sipPort()}`, {
      credentials: { username: ANA.sip.username, password: ANA.sip.password },
    });
    expect((await consult.answered)?.ok).toBe(true);
    const benSide = await ben.nextCall();
    await sleep(400);
    const [callerHears, anaHears] = await Promise.all([listen(call, 800), listen(consult, 800)]);
    expect(toneShare(callerHears, BEN_TONE) + toneShare(callerHears, ANA_TONE)).toBeLessThan(0.1);
    expect(loudness(callerHears), "the caller hears the hold music").toBeGreaterThan(300);
    expect(toneShare(anaHears, BEN_TONE)).toBeGreaterThan(0.8);

    // The transfer key: REFER on the held call, naming the consultation's dialog.
    const refer = anaSide.refer(`sip:${BEN.sip.extension}@127.0.0.1:${sipPort()}?Replaces=${consult.replacesParameter}`);
    await expect(refer.outcome).resolves.toMatchObject({ kind: "succeeded" });
    await Promise.all([anaSide.ended, consult.ended]);
    await sleep(300);
    expect(toneShare(await listen(call, 800), BEN_TONE)).toBeGreaterThan(0.8);
    expect(toneShare(await listen(benSide, 800), CALLER_TONE)).toBeGreaterThan(0.8);
    const live = await asBen.telephony.liveCalls.get(callId);
    expect(live.parties.map((p) => [p.role, p.extension])).toEqual([
      ["caller", null],
      ["agent", BEN.sip.extension],
    ]);
    expect(live.callerHeld).toBe(false);
    await call.hangup();
    await benSide.ended;
    const events = await running.admin.telephony.calls.allEvents(callId);
    expect(events.find((e) => e.type === "transfer.completed")?.data).toMatchObject({ mode: "consult" });
  }, 60_000);

  it("refuses a transfer naming a dialog it does not know (481), and the call goes on", async () => {
    const { call, anaSide, callId } = await connectedCall();
    const bogus = encodeURIComponent("nobody@nowhere;to-tag=1;from-tag=2");
    const refer = anaSide.refer(`sip:${BEN.sip.extension}@127.0.0.1:${sipPort()}?Replaces=${bogus}`);
    await expect(refer.outcome).resolves.toMatchObject({ status: 481 });
    expect(toneShare(await listen(call, 600), ANA_TONE)).toBeGreaterThan(0.8);
    expect((await asAna.telephony.liveCalls.get(callId)).parties).toHaveLength(2);
    await call.hangup();
    await anaSide.ended;
  }, 30_000);

  it("transfers the caller blind into a shared mailbox: the flows take the caller back and the message is left", async () => {
    const mailbox = (await running.admin.mailboxes.list()).find((m) => m.name === "Northwind general");
    expect(mailbox).toBeDefined();
    const before = (await running.admin.mailboxes.messages(mailbox?.id ?? "")).length;
    const { call, anaSide, callId } = await connectedCall();
    const moved = await asAna.telephony.liveCalls.transfer(callId, { kind: "voicemail", mailboxId: mailbox?.id ?? "" });
    expect(moved).toEqual({ outcome: "succeeded", call: null });
    await anaSide.ended;
    // The mailbox's greeting, then the beep: the caller's tone is the message.
    await sleep(9_000);
    await call.hangup();
    const messages = await eventually(async () => {
      const all = await running.admin.mailboxes.messages(mailbox?.id ?? "");
      return all.length > before ? all : undefined;
    }, 15_000);
    expect(messages.at(-1)).toMatchObject({ callId });
    await expect(
      asAna.telephony.liveCalls.transfer(callId, { kind: "person", extension: BEN.sip.extension }),
    ).rejects.toMatchObject({ status: 404 });
  }, 60_000);
});

const share = (samples: Int16Array, frequency: number) => toneShare(samples, frequency).toFixed(2);
