import { concat, silence, sineTone } from "@switchboard/telephony";
import { SipTestClient, type TestCall, toneShare } from "@switchboard/telephony/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, listen, loudness } from "../testing/call-checks.js";
import { type RunningServer, startSipServer } from "../testing/harness.js";
import { DEMO_NUMBER, DEMO_PHONE } from "./demo/northwind.js";

/**
 * The SIP side of a running server, over real UDP and TCP on loopback: the demo number's flow (greeting,
 * keys read back, `*` records and plays back, `0` rings the demo agent's registered phone and bridges),
 * the registrar's digest authentication, numbers nobody has, trunks outside the allow list, and the call
 * records all of it leaves behind. espeak-ng speaks the prompts (the test command installs it).
 */

let running: RunningServer;
let caller: SipTestClient;
let phone: SipTestClient;

beforeAll(async () => {
  running = await startSipServer();
  caller = await SipTestClient.start();
  phone = await SipTestClient.start();
}, 30_000);

afterAll(async () => {
  await caller?.close();
  await phone?.close();
  await running?.close();
});

const sipPort = () => running.server.telephony?.port ?? 0;
const demoUri = (protocol: "udp" | "tcp" = "udp") =>
  `sip:${DEMO_NUMBER}@127.0.0.1:${sipPort()}${protocol === "tcp" ? ";transport=tcp" : ""}`;

/** The admin API, as JSON. */
const api = <T>(path: string, body?: unknown) =>
  running.admin.http.request<T>(body === undefined ? { method: "GET", path } : { method: "POST", path, body });

async function latestCall() {
  const page = await api<{ items: { id: string; state: string }[] }>("/v1/calls");
  return page.items[0];
}

async function dialDemo(protocol: "udp" | "tcp" = "udp"): Promise<TestCall> {
  const call = await caller.call(demoUri(protocol), { protocol });
  const outcome = await call.answered;
  expect(outcome?.ok).toBe(true);
  return call;
}

describe("the demo number", () => {
  it("answers with a spoken greeting, reads back a key, and leaves a call record", async () => {
    const call = await dialDemo();
    await call.waitForAudio(1.5);
    expect(loudness(call.recording())).toBeGreaterThan(300);
    await call.sendDtmf("5");
    // The read-back ("You pressed five") is speech after the key.
    const after = await listen(call, 2_500);
    expect(loudness(after)).toBeGreaterThan(300);
    await call.hangup();

    const record = await eventually(async () => {
      const latest = await latestCall();
      return latest?.state === "ended" ? latest : undefined;
    });
    const detail = await api<{
      direction: string;
      to: string;
      result: string;
      hangupCause: { by: string };
      entry: string;
      legs: { role: string; answeredAt: string | null }[];
    }>(`/v1/calls/${record.id}`);
    expect(detail).toMatchObject({ direction: "inbound", to: DEMO_NUMBER, result: "completed", entry: "demo" });
    expect(detail.hangupCause.by).toBe("caller");
    expect(detail.legs[0]?.answeredAt).not.toBeNull();
    const events = await api<{ items: { type: string; data: { key?: string } }[] }>(`/v1/calls/${record.id}/events`);
    expect(events.items.some((e) => e.type === "key.pressed" && e.data.key === "5")).toBe(true);
    expect(events.items.some((e) => e.type === "play.ended")).toBe(true);
  }, 20_000);

  it("shows calls in progress and the media plane's pacing in /metrics", async () => {
    const call = await dialDemo();
    await call.waitForAudio(1);
    // Read at most once a second by the server: wait for a reading taken while the call is up.
    const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
    let metrics = "";
    for (let i = 0; i < 30 && !(gauge(metrics, "switchboard_calls_active") >= 1); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      metrics = await (await fetch(`${running.baseUrl}/metrics`)).text();
    }
    expect(gauge(metrics, "switchboard_calls_active")).toBeGreaterThanOrEqual(1);
    for (const name of [
      "switchboard_rtp_send_interval_jitter_p99_ms",
      "switchboard_media_tick_lateness_p99_ms",
      "switchboard_media_tick_work_p99_ms",
      "switchboard_rtp_ticks_skipped",
    ]) {
      expect([name, Number.isFinite(gauge(metrics, name)) && gauge(metrics, name) >= 0]).toEqual([name, true]);
    }
    await call.hangup();
  }, 15_000);

  it("works over TCP as over UDP", async () => {
    const call = await dialDemo("tcp");
    await call.waitForAudio(1);
    expect(loudness(call.recording())).toBeGreaterThan(300);
    await call.hangup();
  }, 15_000);

  it("records a message on star and plays it back", async () => {
    const call = await dialDemo();
    await call.sendDtmf("*");
    // Instructions, then the beep: wait for the recording to start, speak a 600 Hz tone, then stay silent.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await call.play(concat(sineTone(600, 1_500, 9_000), silence(200)));
    const heard = await listen(call, 7_000);
    // The playback of what we said comes back after the silence stops the recording.
    expect(toneShare(heard, 600)).toBeGreaterThan(0.05);
    await call.hangup();
    const record = await eventually(async () => {
      const latest = await api<{ recordingIds: string[]; state: string }>(`/v1/calls/${(await latestCall())?.id}`);
      return latest.state === "ended" ? latest : undefined;
    });
    expect(record.recordingIds).toHaveLength(1);
    // The recording downloads as a WAV file with the caller's 1.5 s tone in it.
    const response = await fetch(`${running.baseUrl}/v1/calls/${(await latestCall())?.id}/recordings/${record.recordingIds[0]}`, {
      headers: { authorization: `Bearer ${running.apiKey}` },
    });
    expect(response.headers.get("content-type")).toBe("audio/wav");
    const wav = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder().decode(wav.subarray(0, 4))).toBe("RIFF");
    expect(wav.length).toBeGreaterThan(44 + 16_000);
    // Another tenant cannot fetch it.
    const other = await running.platform.tenants.create({ slug: "other-telephony", name: "Other" });
    const refused = await fetch(response.url, { headers: { authorization: `Bearer ${other.apiKey.key}` } });
    expect(refused.status).toBe(404);
  }, 30_000);

  it("on zero rings the demo agent's registered phone and bridges the caller to it", async () => {
    const registered = await phone.register(`sip:127.0.0.1:${sipPort()}`, {
      username: DEMO_PHONE.username,
      password: DEMO_PHONE.password,
      expires: 300,
    });
    expect(registered.ok).toBe(true);
    phone.acceptCalls({ play: concat(silence(500), sineTone(1_000, 3_000, 9_000)) });

    const call = await dialDemo();
    await call.sendDtmf("0");
    const agentSide = await phone.nextCall();
    // The agent's phone plays a 1 kHz tone: the caller hears it through Switchboard.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const heard = await listen(call, 1_500);
    expect(toneShare(heard, 1_000)).toBeGreaterThan(0.5);
    // The caller speaks (700 Hz): the agent hears it.
    await call.play(sineTone(700, 1_000, 9_000));
    const agentHeard = await listen(agentSide, 800);
    expect(toneShare(agentHeard, 700)).toBeGreaterThan(0.3);
    // The agent hangs up: the caller is hung up too.
    await agentSide.hangup();
    await expect(call.ended).resolves.toBeDefined();
    await phone.unregister();

    const record = await eventually(async () => {
      const latest = await api<{ state: string; legs: { role: string; answeredAt: string | null }[] }>(
        `/v1/calls/${(await latestCall())?.id}`,
      );
      return latest.state === "ended" ? latest : undefined;
    });
    expect(record.legs.map((l) => l.role)).toEqual(["caller", "agent"]);
    expect(record.legs[1]?.answeredAt).not.toBeNull();
  }, 30_000);

  it("follows the agent's phone's transfer key (REFER) to another extension, with music while it rings", async () => {
    await api("/v1/sip-accounts", { username: "ext-1003", extension: "1003", password: "third-phone-pw", displayName: "Expert" });
    const expert = await SipTestClient.start();
    try {
      const registrar = `sip:127.0.0.1:${sipPort()}`;
      expect((await expert.register(registrar, { username: "ext-1003", password: "third-phone-pw" })).ok).toBe(true);
      expert.acceptCalls({ play: concat(silence(300), sineTone(1_400, 4_000, 9_000)) });
      expect((await phone.register(registrar, { username: DEMO_PHONE.username, password: DEMO_PHONE.password })).ok).toBe(true);
      phone.acceptCalls({ play: sineTone(1_000, 4_000, 9_000) });

      const call = await dialDemo();
      await call.sendDtmf("0");
      const agentSide = await phone.nextCall();
      await new Promise((resolve) => setTimeout(resolve, 800));
      const refer = agentSide.refer(`sip:1003@127.0.0.1:${sipPort()}`);
      await expect(refer.outcome).resolves.toMatchObject({ kind: "succeeded" });
      // The agent's phone is released, and the caller now hears the expert.
      await expect(agentSide.ended).resolves.toBeDefined();
      await expert.nextCall();
      await new Promise((resolve) => setTimeout(resolve, 800));
      const heard = await listen(call, 1_200);
      expect(toneShare(heard, 1_400)).toBeGreaterThan(0.5);
      await call.hangup();
      const record = await eventually(async () => {
        const latest = await api<{ state: string; legs: { role: string }[] }>(`/v1/calls/${(await latestCall())?.id}`);
        return latest.state === "ended" ? latest : undefined;
      });
      expect(record.legs.map((l) => l.role)).toEqual(["caller", "agent", "agent"]);
      const events = await api<{ items: { type: string }[] }>(`/v1/calls/${(await latestCall())?.id}/events`);
      expect(events.items.map((e) => e.type)).toContain("transfer.requested");
    } finally {
      await phone.unregister();
      await expert.close();
    }
  }, 30_000);

  it("on zero without a registered phone says so and hangs up", async () => {
    const call = await dialDemo();
    await call.sendDtmf("0");
    const end = await Promise.race([call.ended, new Promise((resolve) => setTimeout(() => resolve("still up"), 15_000))]);
    expect(end).not.toBe("still up");
  }, 20_000);
});

describe("the registrar", () => {
  it("refuses a wrong password with a fresh challenge", async () => {
    const outcome = await phone.register(`sip:127.0.0.1:${sipPort()}`, {
      username: DEMO_PHONE.username,
      password: "not-the-password",
      expires: 300,
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.status).toBe(401);
  });
});

describe("numbers and trunks", () => {
  it("answers 404 for a number no tenant has", async () => {
    const call = await caller.call(`sip:+15559999999@127.0.0.1:${sipPort()}`);
    const outcome = await call.answered;
    expect(outcome?.ok === false ? outcome.status : 200).toBe(404);
  });

  it("answers new calls 503 with Retry-After while its event loop stays behind, and takes them again after", async () => {
    // Something hogs the process (here the test itself, which shares the server's event loop): 400 ms at a
    // time, so the lag sampler's timer (every 100 ms) fires about 300 ms late, past the default 150 ms.
    let hogging = true;
    const hog = () => {
      const until = performance.now() + 400;
      while (performance.now() < until) {}
      if (hogging) setImmediate(hog);
    };
    hog();
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const refused = await caller.call(`sip:+15550100@127.0.0.1:${sipPort()}`);
    const outcome = await refused.answered;
    hogging = false;
    expect(outcome?.ok === false ? outcome.status : 200).toBe(503);
    const retryAfter = Number(outcome?.response?.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(2);
    // A second and a bit on time and the median is on time again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const taken = await caller.call(`sip:+15550100@127.0.0.1:${sipPort()}`);
    expect((await taken.answered)?.ok).toBe(true);
    await taken.hangup();
  }, 20_000);

  it("takes a number a trunk sends without its plus, however short (trunks cannot dial extensions)", async () => {
    const call = await caller.call(`sip:15550100@127.0.0.1:${sipPort()}`);
    expect((await call.answered)?.ok).toBe(true);
    await call.waitForAudio(1);
    await call.hangup();
  }, 15_000);
});

/**
 * A server that does not trust loopback (as in production): callers from 127.0.0.1 are not a trunk, so
 * phones authenticate to call and carriers must be on an allow list.
 */
describe("without the loopback demo trunk", () => {
  let strict: RunningServer;
  const strictPort = () => strict.server.telephony?.port ?? 0;
  const strictApi = <T>(path: string, body?: unknown) =>
    strict.admin.http.request<T>(body === undefined ? { method: "GET", path } : { method: "POST", path, body });

  beforeAll(async () => {
    strict = await startSipServer({ sipTrustLoopback: "false" }, 40);
  }, 30_000);
  afterAll(() => strict?.close());

  it("challenges a caller outside every trunk's allow list, and never answers it", async () => {
    await strictApi("/v1/trunks", { name: "carrier", inbound: { allowList: ["192.0.2.0/24"] } });
    const call = await caller.call(`sip:${DEMO_NUMBER}@127.0.0.1:${strictPort()}`);
    const outcome = await call.answered;
    // Not a trunk: only an account (a phone) could call from here, so it must authenticate, and cannot.
    expect(outcome?.ok === false ? outcome.status : 200).toBe(407);
    const calls = await strictApi<{ items: unknown[] }>("/v1/calls");
    expect(calls.items).toHaveLength(0);
  });

  it("rings an extension from an authenticated phone, and a CANCEL before the answer stops the ringing and is recorded", async () => {
    await strictApi("/v1/sip-accounts", {
      username: "ext-1005",
      extension: "1005",
      password: "second-phone-pw",
      displayName: "Desk",
    });
    const desk = await SipTestClient.start();
    const agent = await SipTestClient.start();
    try {
      const registrar = `sip:127.0.0.1:${strictPort()}`;
      expect((await agent.register(registrar, { username: DEMO_PHONE.username, password: DEMO_PHONE.password })).ok).toBe(true);
      agent.acceptCalls({ manual: true });
      const call = await desk.call(`sip:1001@127.0.0.1:${strictPort()}`, {
        credentials: { username: "ext-1005", password: "second-phone-pw" },
      });
      // The phone of 1001 rings (its INVITE came through Switchboard), then the desk gives up.
      const agentLeg = await eventually(() => agent.incomingLegs[0]);
      // It rings at the contact the phone registered, showing the desk's extension as the caller.
      expect(agentLeg.from?.uri).toContain("1005");
      call.cancel();
      const outcome = await call.answered;
      expect(outcome?.ok === false ? outcome.status : 200).toBe(487);
      // Switchboard cancelled the phone's ringing too.
      await expect(agentLeg.ended).resolves.toMatchObject({ cause: "cancel" });
      const record = await eventually(async () => {
        const page = await strictApi<{ items: { state: string; result: string; direction: string; to: string }[] }>("/v1/calls");
        return page.items[0]?.state === "ended" ? page.items[0] : undefined;
      });
      expect(record).toMatchObject({ direction: "internal", to: "1001", result: "abandoned" });
    } finally {
      await agent.close();
      await desk.close();
    }
  }, 20_000);
});
