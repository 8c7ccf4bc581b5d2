import { RTCPeerConnection, RTCRtpCodecParameters, type RTCRtpTransceiver, RtpHeader, RtpPacket } from "werift";
import { concat, FRAME_MS, FRAME_SAMPLES } from "../src/rtp/audio/audio.js";
import type { DtmfDigit } from "../src/rtp/dtmf/digits.js";
import { telephoneEventPlan } from "../src/rtp/dtmf/telephone-event.js";
import { decodeG711, encodeG711, type G711Law } from "../src/rtp/g711/g711.js";
import { sendDtlsCloseNotify } from "../src/webrtc/dtls-close.js";
import type { WebRtcLeg } from "../src/webrtc/webrtc-leg.js";

/** The payload type of telephone-event in the test browser's offers (Chromium's is 126 too). */
export const TEST_BROWSER_EVENT_PT = 126;

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 10 ms until it holds; throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await pause(10);
  }
}

/** The browser's side: a werift peer that offers, keeps what it hears decoded, speaks tones and presses keys. */
export class TestBrowser {
  readonly connection: RTCPeerConnection;
  private readonly transceiver: RTCRtpTransceiver;
  private readonly heard: Int16Array[] = [];
  private heardSamples = 0;
  private sequence = 1;
  private timestamp = 8000;

  constructor(readonly law: G711Law = "PCMU") {
    this.connection = new RTCPeerConnection({
      codecs: {
        audio: [
          new RTCRtpCodecParameters({
            mimeType: `audio/${law}`,
            clockRate: 8000,
            channels: 1,
            payloadType: law === "PCMU" ? 0 : 8,
          }),
          new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 8000, payloadType: TEST_BROWSER_EVENT_PT }),
        ],
        video: [],
      },
      iceServers: [],
      iceUseIpv6: false,
    });
    this.transceiver = this.connection.addTransceiver("audio", { direction: "sendrecv" });
    this.transceiver.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => {
        const pt = rtp.header.payloadType;
        if (pt !== 0 && pt !== 8) return;
        const samples = decodeG711(pt === 8 ? "PCMA" : "PCMU", rtp.payload);
        this.heard.push(samples);
        this.heardSamples += samples.length;
      });
    });
  }

  /**
   * Answers a call to the browser: the server's offer in, our answer (all candidates gathered) out, as the
   * sdk does with `call.incoming`.
   */
  async answer(offerSdp: string): Promise<string> {
    await this.connection.setRemoteDescription({ type: "offer", sdp: offerSdp });
    await this.connection.setLocalDescription(await this.connection.createAnswer());
    return this.connection.localDescription?.sdp ?? "";
  }

  /** Our offer, candidates gathered, for a call the browser places through the server (`call.place`). */
  async offer(): Promise<string> {
    await this.connection.setLocalDescription(await this.connection.createOffer());
    return this.connection.localDescription?.sdp ?? "";
  }

  /** The server's answer to `offer()`. */
  async accept(answerSdp: string): Promise<void> {
    await this.connection.setRemoteDescription({ type: "answer", sdp: answerSdp });
  }

  /** Calls the leg: our offer (candidates included) in, its answer back, then waits for both sides to connect. */
  async call(leg: WebRtcLeg): Promise<void> {
    await this.connection.setLocalDescription(await this.connection.createOffer());
    const answer = await leg.answer(this.connection.localDescription?.sdp ?? "");
    if (!answer.ok) throw new Error(answer.reason);
    await this.connection.setRemoteDescription({ type: "answer", sdp: answer.sdp });
    await until(() => this.connection.connectionState === "connected" && leg.state === "connected");
  }

  /** Where the audio heard so far ends: a mark to measure what comes after. */
  get mark(): number {
    return this.heardSamples;
  }

  heardSince(mark: number): Int16Array {
    return concat(...this.heard).subarray(mark);
  }

  /** Speaks `samples` in 20 ms packets, in real time. */
  async speak(samples: Int16Array): Promise<void> {
    const started = performance.now();
    for (let offset = 0, index = 0; offset < samples.length; offset += FRAME_SAMPLES, index++) {
      const frame = samples.subarray(offset, offset + FRAME_SAMPLES);
      this.send(this.law === "PCMU" ? 0 : 8, encodeG711(this.law, frame), this.timestamp, index === 0);
      this.timestamp += FRAME_SAMPLES;
      const wait = started + (index + 1) * FRAME_MS - performance.now();
      if (wait > 0) await pause(wait);
    }
  }

  /** Presses a key as a browser's `RTCDTMFSender` does: RFC 4733 events in place of audio. */
  async press(digit: DtmfDigit): Promise<void> {
    const start = this.timestamp;
    for (const packet of telephoneEventPlan(digit, { durationMs: 100 })) {
      this.send(TEST_BROWSER_EVENT_PT, packet.payload, start, packet.marker);
      this.timestamp += FRAME_SAMPLES;
      await pause(FRAME_MS);
    }
  }

  /** Hangs up as Chromium does: a DTLS close_notify, then the connection closed (werift alone sends no alert). */
  async close(): Promise<void> {
    await sendDtlsCloseNotify(this.connection);
    await this.connection.close();
  }

  private send(payloadType: number, payload: Buffer, timestamp: number, marker: boolean): void {
    const sender = this.transceiver.sender;
    const codec = sender.codec;
    const wanted = this.transceiver.codecs.find((c) => c.payloadType === payloadType);
    if (codec === undefined || wanted === undefined) throw new Error(`payload type ${payloadType} not negotiated`);
    // werift stamps the sender codec's payload type on every packet: swapped for the one synchronous call.
    sender.codec = wanted;
    void sender.sendRtp(new RtpPacket(new RtpHeader({ payloadType, sequenceNumber: this.sequence, timestamp, marker }), payload));
    sender.codec = codec;
    this.sequence = (this.sequence + 1) & 0xffff;
  }
}
