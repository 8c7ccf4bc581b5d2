import type { AutoAttendantInput } from "@switchboard/protocol";
import { EspeakSynthesizer } from "@switchboard/speech";
import { concat, silence, sineTone } from "@switchboard/telephony";
import { SipTestClient, type TestCall, toneShare } from "@switchboard/telephony/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, listen, loudness } from "../testing/call-checks.js";
import { type RunningServer, startSipServer } from "../testing/harness.js";
import { DEMO_AGENTS, DEMO_ATTENDANT_NUMBER } from "./demo/northwind.js";

/**
 * The demo call center over real SIP and RTP on loopback: the auto attendant on `+15550101`, its menu
 * keys to the call queues (agents' registered phones ring through the routing engine), dial by name,
 * the operator's voicemail and the voicemail menu, with the call records and voicemail API they leave.
 */

let running: RunningServer;
let caller: SipTestClient;

const [ANA, BEN] = DEMO_AGENTS;

beforeAll(async () => {
  running = await startSipServer();
  caller = await SipTestClient.start();
}, 30_000);

afterAll(async () => {
  await caller?.close();
  await running?.close();
});

const sipPort = () => running.server.telephony?.port ?? 0;
const registrar = () => `sip:127.0.0.1:${sipPort()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const api = <T>(path: string) => running.admin.http.request<T>({ method: "GET", path });

/** Waits until the caller, having heard something, hears nothing for `ms` (the end of a prompt). */
async function waitForQuiet(call: TestCall, ms: number, timeoutMs = 30_000): Promise<void> {
  const window = (ms * 8) | 0;
  await eventually(() => {
    const heard = call.recording();
    if (heard.length < window + 8_000) return undefined;
    return loudness(heard.subarray(heard.length - window)) < 100 && loudness(heard.subarray(0, heard.length - window)) > 300
      ? true
      : undefined;
  }, timeoutMs);
}

/** Waits until the caller hears a tone (e.g. the beep before a recording) in its last 300 ms of audio. */
async function waitForTone(call: TestCall, frequency: number, timeoutMs = 30_000): Promise<void> {
  await eventually(() => {
    const heard = call.recording();
    return toneShare(heard.subarray(Math.max(0, heard.length - 2_400)), frequency) > 0.5 ? true : undefined;
  }, timeoutMs);
}

/** Calls the main line and waits until the greeting has started. */
async function callMainLine(): Promise<TestCall> {
  const call = await caller.call(`sip:${DEMO_ATTENDANT_NUMBER}@127.0.0.1:${sipPort()}`);
  expect((await call.answered)?.ok).toBe(true);
  await call.waitForAudio(1);
  return call;
}

/** A softphone registered as one of the demo agents, answering with a tone of its own. */
async function agentPhone(agent: (typeof DEMO_AGENTS)[number], tone: number): Promise<SipTestClient> {
  const phone = await SipTestClient.start();
  const registered = await phone.register(registrar(), { username: agent.sip.username, password: agent.sip.password });
  expect(registered.ok).toBe(true);
  phone.acceptCalls({ play: concat(silence(300), sineTone(tone, 20_000, 9_000)) });
  return phone;
}

/** Business hours around the clock, every day of the week. */
const allDay = () =>
  Object.fromEntries(["0", "1", "2", "3", "4", "5", "6"].map((d) => [d, [["00:00", "24:00"]]])) as Record<
    string,
    [string, string][]
  >;

/** Unregisters (so its extension no longer rings a dead contact) and closes the phone. */
async function hangUpPhone(phone: SipTestClient): Promise<void> {
  await phone.unregister();
  await phone.close();
}

interface CallDetail {
  state: string;
  entry: string;
  legs: { role: string }[];
}

async function endedCall(): Promise<{
  id: string;
  detail: CallDetail;
  events: { type: string; data: Record<string, unknown> }[];
}> {
  return eventually(async () => {
    const page = await api<{ items: { id: string; state: string }[] }>("/v1/calls");
    const latest = page.items[0];
    if (latest?.state !== "ended") return undefined;
    const detail = await api<CallDetail>(`/v1/calls/${latest.id}`);
    const events = await api<{ items: { type: string; data: Record<string, unknown> }[] }>(`/v1/calls/${latest.id}/events`);
    return { id: latest.id, detail, events: events.items };
  }, 15_000);
}

describe("the demo auto attendant", () => {
  it("sends 1 to the Sales line, where an available agent's registered phone rings and is bridged to the caller", async () => {
    const ana = await agentPhone(ANA, 1_000);
    try {
      const call = await callMainLine();
      await call.sendDtmf("1");
      const agentSide = await ana.nextCall();
      await sleep(1_000);
      // The agent's 1 kHz tone reaches the caller, the caller's 700 Hz reaches the agent.
      expect(toneShare(await listen(call, 1_200), 1_000)).toBeGreaterThan(0.5);
      void call.play(sineTone(700, 1_500, 9_000));
      await sleep(300);
      expect(toneShare(await listen(agentSide, 800), 700)).toBeGreaterThan(0.3);
      // The agent's hold key: the caller hears the hold music instead of the agent, until the agent resumes.
      await agentSide.hold();
      await sleep(600);
      const onHold = await listen(call, 1_500);
      expect(loudness(onHold)).toBeGreaterThan(300);
      expect(toneShare(onHold, 1_000)).toBeLessThan(0.3);
      await agentSide.resume();
      await sleep(600);
      expect(toneShare(await listen(call, 1_000), 1_000)).toBeGreaterThan(0.5);
      await call.hangup();
      await expect(agentSide.ended).resolves.toBeDefined();

      const { detail, events } = await endedCall();
      expect(detail.entry).toMatch(/^auto_attendant:/);
      expect(detail.legs.map((l) => l.role)).toEqual(["caller", "agent"]);
      const attendant = events.find((e) => e.type === "flow.auto_attendant");
      expect(attendant?.data).toMatchObject({ result: "transferred_to_queue", path: ["1"], period: "business_hours" });
      const queue = events.find((e) => e.type === "flow.call_queue");
      expect(queue?.data).toMatchObject({ result: "answered" });
    } finally {
      await hangUpPhone(ana);
    }
  }, 40_000);

  it('takes a spoken menu option: the caller says "support" after the menu and waits in the Support line', async () => {
    const said = await new EspeakSynthesizer().synthesize({ text: "support" });
    const call = await callMainLine();
    // The greeting and the menu, then the attendant listens: the caller speaks once the line goes quiet.
    await waitForQuiet(call, 700);
    void call.play(concat(said, silence(1_000)));
    const attendant = await eventually(async () => {
      const page = await api<{ items: { id: string }[] }>("/v1/calls");
      const events = await api<{ items: { type: string; data: Record<string, unknown> }[] }>(
        `/v1/calls/${page.items[0]?.id}/events`,
      );
      return events.items.find((e) => e.type === "flow.auto_attendant");
    }, 15_000);
    expect(attendant.data).toMatchObject({ result: "transferred_to_queue", path: ["support"] });
    await call.hangup();
    const { events } = await endedCall();
    expect(events.find((e) => e.type === "flow.call_queue")?.data).toMatchObject({ result: "abandoned" });
  }, 40_000);

  it("answers with the holiday flow on a holiday and the after-hours flow outside the hours, whatever the business hours", async () => {
    const admin = running.admin;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const closed = (text: string) => ({
      greeting: { kind: "speech" as const, text },
      menu: null,
      target: { kind: "disconnect" as const },
    });
    const open = {
      greeting: { kind: "speech" as const, text: "We are open." },
      menu: null,
      target: { kind: "disconnect" as const },
    };
    const results: Record<string, unknown>[] = [];
    const cases: [string, AutoAttendantInput["schedule"]][] = [
      // Today (UTC) is a holiday, and every hour of every day is business hours.
      [
        "holiday",
        {
          timeZone: "UTC",
          weekly: allDay(),
          holidays: [
            // Today and tomorrow (UTC): a run at midnight still calls on a holiday.
            { date: day(0), name: "Founders' day" },
            { date: day(1), name: "The day after" },
          ],
        },
      ],
      // No hours at all: always after hours.
      ["after hours", { timeZone: "UTC", weekly: {}, holidays: [] }],
      // Every hour of every day.
      ["business hours", { timeZone: "UTC", weekly: allDay(), holidays: [] }],
    ];
    for (const [name, schedule] of cases) {
      const attendant = await admin.autoAttendants.create({
        name: `Schedule ${name}`,
        schedule,
        businessHours: open,
        afterHours: closed("We are closed now."),
        holiday: closed("We are closed for the holiday."),
      });
      const e164 = `+1555019${results.length}`;
      await admin.telephony.phoneNumbers.create({ e164, entry: { kind: "auto_attendant", autoAttendantId: attendant.id } });
      const call = await caller.call(`sip:${e164}@127.0.0.1:${sipPort()}`);
      expect((await call.answered)?.ok).toBe(true);
      // The greeting, then the attendant hangs up.
      await expect(call.ended).resolves.toBeDefined();
      const { events } = await endedCall();
      results.push(events.find((e) => e.type === "flow.auto_attendant")?.data ?? {});
    }
    expect(results.map((r) => [r.period, r.result])).toEqual([
      ["holiday", "disconnected"],
      ["after_hours", "disconnected"],
      ["business_hours", "disconnected"],
    ]);
  }, 60_000);

  it("dials by name on 9: B-E-N rings Ben Carter's phone", async () => {
    const ben = await agentPhone(BEN, 1_200);
    try {
      const call = await callMainLine();
      await call.sendDtmf("9");
      await sleep(1_500);
      await call.sendDtmf("236#");
      const benSide = await ben.nextCall();
      await sleep(1_000);
      expect(toneShare(await listen(call, 1_000), 1_200)).toBeGreaterThan(0.5);
      await call.hangup();
      await expect(benSide.ended).resolves.toBeDefined();
      const { events } = await endedCall();
      expect(events.find((e) => e.type === "flow.auto_attendant")?.data).toMatchObject({ result: "transferred_to_user" });
      expect(events.find((e) => e.type === "flow.person")?.data).toMatchObject({ extension: "1002", result: "answered" });
    } finally {
      await hangUpPhone(ben);
    }
  }, 40_000);

  it("parks a queue call on the agent's transfer to 70; another phone dials the orbit and picks it up", async () => {
    const ana = await agentPhone(ANA, 1_000);
    const ben = await agentPhone(BEN, 1_200);
    try {
      // Ben takes no queue calls in this test: he is away.
      const { domain } = running.server;
      const tenant = await domain.identity.store.getTenantBySlug("demo");
      const users = await api<{ items: { email: string; identityId: string }[] }>("/v1/users");
      const benIdentity = users.items.find((u) => u.email === BEN.email)?.identityId ?? "";
      await domain.routing.setPresence(tenant?.id ?? "", benIdentity, "away");
      const call = await callMainLine();
      await call.sendDtmf("2");
      const agentSide = await ana.nextCall();
      await sleep(800);
      const refer = agentSide.refer(`sip:70@127.0.0.1:${sipPort()}`);
      // Ana hears "Parked on 7 1" before her phone lets go.
      await expect(refer.outcome).resolves.toMatchObject({ kind: "succeeded" });
      await expect(agentSide.ended).resolves.toBeDefined();
      // The caller waits with the hold music, and Ben's phone dials orbit 71.
      const pickup = await ben.call(`sip:71@127.0.0.1:${sipPort()}`, {
        credentials: { username: BEN.sip.username, password: BEN.sip.password },
      });
      expect((await pickup.answered)?.ok).toBe(true);
      void pickup.play(sineTone(900, 2_500, 9_000));
      await sleep(500);
      expect(toneShare(await listen(call, 1_000), 900)).toBeGreaterThan(0.3);
      await pickup.hangup();
      await expect(call.ended).resolves.toBeDefined();
      await domain.routing.setPresence(tenant?.id ?? "", benIdentity, "available");
    } finally {
      await hangUpPhone(ana);
      await hangUpPhone(ben);
    }
  }, 40_000);

  it("sends 0 to the operator; with her phone not registered the caller leaves her a voicemail, which she hears by phone", async () => {
    // Ana wants an email for each new message.
    const boxes = await api<{ items: { id: string; name: string }[] }>("/v1/mailboxes");
    const anaBox = boxes.items.find((b) => b.name === ANA.displayName);
    await running.admin.http.request({
      method: "PATCH",
      path: `/v1/mailboxes/${anaBox?.id}`,
      body: { notifyEmails: [ANA.email] },
    });
    const call = await callMainLine();
    await call.sendDtmf("0");
    // "Please hold", the operator's phone is not registered, her mailbox's greeting, then the 1 kHz beep.
    await waitForTone(call, 1_000);
    await sleep(300);
    await call.play(concat(sineTone(600, 1_500, 9_000), silence(200)));
    await sleep(1_800);
    await call.hangup();
    const { events } = await endedCall();
    expect(events.find((e) => e.type === "flow.person")?.data).toMatchObject({ result: "voicemail" });
    const left = events.find((e) => e.type === "flow.voicemail")?.data as {
      result: string;
      mailboxId: string;
      messageId: string;
    };
    expect(left.result).toBe("message_left");

    // The message is in Ana's mailbox, with the caller and the length, and downloads as WAV.
    const messages = await api<{ items: { id: string; caller: string; durationMs: number; heard: boolean }[] }>(
      `/v1/mailboxes/${left.mailboxId}/messages`,
    );
    expect(messages.items).toHaveLength(1);
    expect(messages.items[0]).toMatchObject({ id: left.messageId, heard: false });
    expect(messages.items[0]?.durationMs).toBeGreaterThan(1_000);
    const audio = await fetch(`${running.baseUrl}/v1/voicemail-messages/${left.messageId}/audio`, {
      headers: { authorization: `Bearer ${running.apiKey}` },
    });
    expect(audio.status).toBe(200);
    expect(audio.headers.get("content-type")).toBe("audio/wav");
    // The email reached the development mailbox (no SMTP server configured).
    const inbox = await eventually(async () => {
      const response = await fetch(`${running.baseUrl}/dev/mailbox/messages`);
      const { items } = (await response.json()) as { items: { to: string; subject: string }[] };
      return items.find((m) => m.to.includes(ANA.email) && m.subject.startsWith("Voicemail from"));
    }, 15_000);
    expect(inbox.subject).toMatch(/^Voicemail from .+ \(\d+ s\)$/);

    // Ana calls in, presses star, logs in with her extension and PIN, and hears the 600 Hz message.
    const again = await callMainLine();
    await again.sendDtmf("*");
    await sleep(2_500);
    await again.sendDtmf(`${ANA.sip.extension}#`);
    await sleep(2_500);
    await again.sendDtmf(`${ANA.pin}#`);
    const heard = await listen(again, 9_000);
    expect(toneShare(heard, 600)).toBeGreaterThan(0.05);
    await again.hangup();
    await eventually(async () => {
      const now = await api<{ items: { heard: boolean }[] }>(`/v1/mailboxes/${left.mailboxId}/messages`);
      return now.items[0]?.heard === true ? true : undefined;
    }, 15_000);
  }, 60_000);
});
