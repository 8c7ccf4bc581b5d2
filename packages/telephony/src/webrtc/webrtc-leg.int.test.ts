import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RTCPeerConnection, RTCRtpCodecParameters } from "werift";
import { loudMs, toneShare } from "../../testing/audio-checks.js";
import { type MediaTestServer, startMediaTestServer } from "../../testing/media-test-server.js";
import { SipTestClient } from "../../testing/sip-test-client.js";
import { pause, TEST_BROWSER_EVENT_PT, TestBrowser, until } from "../../testing/test-browser.js";
import { TEST_SPEECH_HZ } from "../../testing/test-prompt-renderer.js";
import { SipLegMedia } from "../call/sip-leg-media.js";
import { RtpMediaMixer } from "../media/mixer/rtp-media-mixer.js";
import { concat, FRAME_SAMPLES, sineTone } from "../rtp/audio/audio.js";
import type { DtmfEvent } from "../rtp/dtmf/digits.js";
import { systemScheduler } from "../scheduler/scheduler.js";
import { WebRtcLeg } from "./webrtc-leg.js";

/**
 * Browser legs against a werift peer in Node playing the browser (Chromium's part: an offer with its candidates,
 * DTLS-SRTP, G.711 and telephone-event at payload type 126). Switchboard's side is a `WebRtcLeg` on the media test
 * server's clock, driven through `SipLegMedia` as a flow drives a SIP leg.
 */
let server: MediaTestServer;
let client: SipTestClient;
const browsers: TestBrowser[] = [];
const legs: WebRtcLeg[] = [];
const mixer = new RtpMediaMixer();

beforeAll(async () => {
  server = await startMediaTestServer({ codecs: ["PCMU", "PCMA"] });
  client = await SipTestClient.start();
});

afterAll(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
  await Promise.all(legs.map((leg) => leg.hangup()));
  await client.close();
  await server.close();
});

/** A browser closed with the others after the tests. */
function track(browser: TestBrowser): TestBrowser {
  browsers.push(browser);
  return browser;
}

function newLeg(): WebRtcLeg {
  const leg = new WebRtcLeg({ clock: server.clock });
  legs.push(leg);
  return leg;
}

let legCount = 0;
function legMedia(leg: WebRtcLeg): SipLegMedia {
  legCount += 1;
  return new SipLegMedia({
    call: leg,
    legId: `web-${legCount}`,
    tenantId: "t1",
    renderer: server.renderer,
    recordings: server.recordings,
    scheduler: systemScheduler,
  });
}

/** What the leg receives, frame by frame from the media clock, copied. */
function listen(leg: WebRtcLeg): { readonly samples: () => Int16Array } {
  const frames: Int16Array[] = [];
  leg.media.onFrame((frame) => frames.push(frame ? frame.slice() : new Int16Array(FRAME_SAMPLES)));
  return { samples: () => concat(...frames) };
}

describe("WebRtcLeg with a werift peer as the browser", () => {
  it.each(["PCMU", "PCMA"] as const)("carries %s audio both ways: energy at the tone each side sent", async (law) => {
    const leg = newLeg();
    const browser = track(new TestBrowser(law));
    await browser.call(leg);
    expect(leg.audio).toMatchObject({ codec: law, payloadType: law === "PCMU" ? 0 : 8, telephoneEvent: TEST_BROWSER_EVENT_PT });

    const before = browser.mark;
    expect(await leg.media.play(sineTone(440, 600))).toBe("done");
    await pause(150);
    const heard = browser.heardSince(before);
    console.log(`${law}: the browser heard ${loudMs(heard)} ms loud, ${(100 * toneShare(heard, 440)).toFixed(1)}% at 440 Hz`);
    expect(Math.abs(loudMs(heard) - 600)).toBeLessThanOrEqual(40);
    expect(toneShare(heard, 440)).toBeGreaterThan(0.9);

    const received = listen(leg);
    await browser.speak(sineTone(700, 600));
    await pause(200);
    const got = received.samples();
    console.log(`${law}: the leg received ${loudMs(got)} ms loud, ${(100 * toneShare(got, 700)).toFixed(1)}% at 700 Hz`);
    expect(Math.abs(loudMs(got) - 600)).toBeLessThanOrEqual(40);
    expect(toneShare(got, 700)).toBeGreaterThan(0.9);
    expect(leg.media.stats.rtp.packetsReceived).toBeGreaterThan(25);
    await leg.hangup();
  });

  it("plays a prompt through SipLegMedia, and the browser's RFC 4733 keys reach onDtmf and a collect", async () => {
    const leg = newLeg();
    const browser = track(new TestBrowser());
    await browser.call(leg);
    const media = legMedia(leg);
    const keys: DtmfEvent[] = [];
    leg.onDtmf((event) => keys.push(event));

    const before = browser.mark;
    expect(await media.play([{ kind: "speech", text: "welcome to switchboard" }])).toEqual({ ended: "finished" });
    await pause(150);
    const prompt = browser.heardSince(before);
    expect(loudMs(prompt)).toBeGreaterThanOrEqual(500);
    expect(toneShare(prompt, TEST_SPEECH_HZ)).toBeGreaterThan(0.9);

    const collecting = media.collect({ maxDigits: 4, terminators: "#", firstKeyTimeoutMs: 5_000 });
    for (const digit of ["4", "2", "#"] as const) {
      await browser.press(digit);
      await pause(60);
    }
    expect(await collecting).toEqual({ digits: "42", ended: "terminator", terminator: "#" });
    expect(keys).toEqual([
      { digit: "4", source: "rfc4733" },
      { digit: "2", source: "rfc4733" },
      { digit: "#", source: "rfc4733" },
    ]);
    await media.hangup("done");
    expect(await media.ended).toEqual({ by: "platform", reason: "done" });
  });

  it("bridges a browser leg and a SIP leg: each side hears the other's tone", async () => {
    const leg = newLeg();
    const browser = track(new TestBrowser());
    await browser.call(leg);
    const web = legMedia(leg);
    const phone = await client.call(server.uri("+15550100"));
    const [outcome, sip] = await Promise.all([phone.answered, server.nextLeg()]);
    expect(outcome?.ok).toBe(true);

    mixer.bridge(web, sip);
    const [browserMark, phoneMark] = [browser.mark, Math.round(phone.receivedSeconds * 8000)];
    await Promise.all([browser.speak(sineTone(700, 600)), phone.play(sineTone(1100, 600, 8000))]);
    await pause(200);
    const heardByPhone = phone.recording().subarray(phoneMark);
    const heardByBrowser = browser.heardSince(browserMark);
    console.log(
      `bridge: the phone heard ${loudMs(heardByPhone)} ms, ${(100 * toneShare(heardByPhone, 700)).toFixed(1)}% at the browser's 700 Hz; ` +
        `the browser heard ${loudMs(heardByBrowser)} ms, ${(100 * toneShare(heardByBrowser, 1100)).toFixed(1)}% at the phone's 1100 Hz`,
    );
    expect(toneShare(heardByPhone, 700)).toBeGreaterThan(0.9);
    expect(Math.abs(loudMs(heardByPhone) - 600)).toBeLessThanOrEqual(60);
    expect(toneShare(heardByBrowser, 1100)).toBeGreaterThan(0.9);
    expect(Math.abs(loudMs(heardByBrowser) - 600)).toBeLessThanOrEqual(60);

    // A key from the browser crosses the bridge to the phone as an event.
    const phoneKeys = phone.dtmf.length;
    await browser.press("9");
    await until(() => phone.dtmf.length > phoneKeys);
    expect(phone.dtmf.at(-1)?.digit).toBe("9");

    await phone.hangup();
    expect(await sip.ended).toEqual({ by: "party", reason: "bye" });
    await web.hangup("done");
  });

  it("ends when the browser closes the connection, and the media is released", async () => {
    const leg = newLeg();
    const browser = track(new TestBrowser());
    await browser.call(leg);
    const media = legMedia(leg);
    const playing = media.play([
      { kind: "speech", text: "this prompt is long enough to still be playing when the browser hangs up" },
    ]);
    await pause(300);
    await browser.close();
    expect(await leg.ended).toEqual({ by: "remote", cause: "bye" });
    expect(await media.ended).toEqual({ by: "party", reason: "bye" });
    expect(await playing).toEqual({ ended: "hung-up" });
    expect(leg.state).toBe("ended");
    await until(() => leg.media.isClosed);
    const sent = leg.media.stats.rtp.packetsSent;
    await pause(100);
    expect(leg.media.stats.rtp.packetsSent).toBe(sent);
  });

  it("ends when Switchboard hangs up, and the browser sees its connection closed", async () => {
    const leg = newLeg();
    const browser = track(new TestBrowser());
    await browser.call(leg);
    const media = legMedia(leg);
    await media.hangup("agent left");
    expect(await media.ended).toEqual({ by: "platform", reason: "agent left" });
    expect(await leg.ended).toEqual({ by: "local", cause: "bye" });
    expect(leg.media.isClosed).toBe(true);
    // werift's connection stays `connected` over a DTLS transport the alert closed: the transport tells.
    await until(() => browser.connection.dtlsTransports.every((transport) => transport.state === "closed"));
  });

  it("refuses an offer with no G.711 codec (488)", async () => {
    const leg = newLeg();
    const opusOnly = new RTCPeerConnection({
      codecs: { audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2 })], video: [] },
      iceServers: [],
      iceUseIpv6: false,
    });
    opusOnly.addTransceiver("audio", { direction: "sendrecv" });
    await opusOnly.setLocalDescription(await opusOnly.createOffer());
    const outcome = await leg.answer(opusOnly.localDescription?.sdp ?? "");
    expect(outcome).toMatchObject({ ok: false, status: 488 });
    await opusOnly.close();
    await leg.hangup();
  });
});
