import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acceptAudioAnswer, answerAudioOffer, createAudioOffer } from "./offer-answer.js";
import { directionOf, parseSdp, rtpMaps, type SessionDescription, serializeSdp } from "./session-description.js";

const SIPP_OFFER = [
  "v=0",
  "o=user1 53655765 2353687637 IN IP4 127.0.0.1",
  "s=-",
  "c=IN IP4 127.0.0.1",
  "t=0 0",
  "m=audio 6000 RTP/AVP 8 101",
  "a=rtpmap:8 PCMA/8000",
  "a=rtpmap:101 telephone-event/8000",
  "a=fmtp:101 0-11,16",
  "",
].join("\r\n");

function parsed(text: string): SessionDescription {
  const result = parseSdp(text);
  if (!result.ok) throw new Error(result.reason);
  return result.sdp;
}

const version = { sessionId: "42", version: 1 };

describe("SDP (RFC 4566)", () => {
  it("reads what sipp offers", () => {
    const sdp = parsed(SIPP_OFFER);
    expect(sdp.origin).toMatchObject({ username: "user1", sessionId: "53655765", address: "127.0.0.1" });
    expect(sdp.connection?.address).toBe("127.0.0.1");
    const media = sdp.media[0];
    if (!media) throw new Error("no media");
    expect(media).toMatchObject({ media: "audio", port: 6000, protocol: "RTP/AVP", formats: ["8", "101"] });
    expect(rtpMaps(media).get(101)).toEqual({ encoding: "telephone-event", clockRate: 8000 });
    expect(directionOf(sdp, media)).toBe("sendrecv");
  });

  it("writes back what it read, and accepts LF-only lines", () => {
    const sdp = parsed(SIPP_OFFER.replaceAll("\r\n", "\n"));
    expect(serializeSdp(sdp)).toBe(SIPP_OFFER);
    const withExtras = `${SIPP_OFFER}a=sendonly\r\nm=video 0 RTP/AVP 96\r\nb=AS:128\r\n`;
    expect(serializeSdp(parsed(withExtras))).toBe(withExtras);
  });

  it.each([
    ["no v=", SIPP_OFFER.replace("v=0\r\n", "")],
    ["a bad version", SIPP_OFFER.replace("v=0", "v=1")],
    ["no o=", SIPP_OFFER.replace(/o=.*\r\n/, "")],
    ["a short o=", SIPP_OFFER.replace("o=user1 ", "o=")],
    ["no t=", SIPP_OFFER.replace("t=0 0\r\n", "")],
    ["a malformed m=", SIPP_OFFER.replace("m=audio 6000", "m=audio x")],
    ["media without address", SIPP_OFFER.replace("c=IN IP4 127.0.0.1\r\n", "")],
    ["a garbage line", `${SIPP_OFFER}garbage\r\n`],
    ["a bad c=", SIPP_OFFER.replace("c=IN IP4", "c=IN IPX")],
  ])("refuses %s", (_name, text) => {
    expect(parseSdp(text).ok).toBe(false);
  });

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = parseSdp(`v=0\r\n${text}`);
        if (result.ok) expect(parseSdp(serializeSdp(result.sdp))).toEqual(result);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("offer and answer (RFC 3264)", () => {
  const local = { address: "127.0.0.1", port: 20000 };

  it("answers sipp's PCMA offer with PCMA and telephone-event on the offered payload type", () => {
    const result = answerAudioOffer(parsed(SIPP_OFFER), local, version);
    if (!result.ok) throw new Error(result.reason);
    expect(result.audio).toEqual({
      codec: "PCMA",
      payloadType: 8,
      telephoneEvent: 101,
      remote: { address: "127.0.0.1", port: 6000 },
      direction: "sendrecv",
    });
    const text = serializeSdp(result.answer);
    expect(text).toContain("m=audio 20000 RTP/AVP 8 101\r\n");
    expect(text).toContain("a=rtpmap:101 telephone-event/8000\r\n");
    expect(text).toContain("o=switchboard 42 1 IN IP4 127.0.0.1\r\n");
  });

  it("prefers the offerer's order among codecs we have, and rejects what we cannot do", () => {
    const offer = createAudioOffer({ ...local, codecs: ["PCMA", "PCMU"], telephoneEvent: 96 }, version);
    const answer = answerAudioOffer(offer, { ...local, port: 30000 }, version);
    expect(answer.ok && answer.audio).toMatchObject({ codec: "PCMA", telephoneEvent: 96 });
    const g729 = parsed(
      SIPP_OFFER.replace("RTP/AVP 8 101", "RTP/AVP 18").replace("a=rtpmap:8 PCMA/8000", "a=rtpmap:18 G729/8000"),
    );
    expect(answerAudioOffer(g729, local, version)).toMatchObject({ ok: false, status: 488 });
    const srtp = parsed(SIPP_OFFER.replace("RTP/AVP", "RTP/SAVP"));
    expect(answerAudioOffer(srtp, local, version).ok).toBe(false);
  });

  it("rejects other streams with port 0 and keeps their place", () => {
    const offer = parsed(`${SIPP_OFFER.replace("m=audio", "m=video 5000 RTP/AVP 96\r\nm=audio")}`);
    const result = answerAudioOffer(offer, local, version);
    if (!result.ok) throw new Error(result.reason);
    expect(result.answer.media.map((m) => [m.media, m.port])).toEqual([
      ["video", 0],
      ["audio", 20000],
    ]);
  });

  it.each([
    ["sendonly", "recvonly"],
    ["recvonly", "sendonly"],
    ["inactive", "inactive"],
    ["sendrecv", "sendrecv"],
  ] as const)("answers %s (hold and resume) with %s", (offered, answered) => {
    const offer = createAudioOffer({ ...local, direction: offered }, version);
    const result = answerAudioOffer(offer, { ...local, port: 30000 }, version);
    expect(result.ok && result.audio.direction).toBe(answered);
    if (!result.ok) return;
    expect(serializeSdp(result.answer)).toContain(`a=${answered}\r\n`);
    expect(acceptAudioAnswer(offer, result.answer)).toMatchObject({
      ok: true,
      audio: { direction: offered, remote: { port: 30000 } },
    });
  });

  it("treats c=0.0.0.0 (RFC 2543 hold) as the peer not receiving", () => {
    const offer = parsed(SIPP_OFFER.replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0"));
    const result = answerAudioOffer(offer, local, version);
    expect(result.ok && result.audio.direction).toBe("recvonly");
  });

  it("the offerer reads the codec and remote address from the answer", () => {
    const offer = createAudioOffer(local, version);
    expect(serializeSdp(offer)).toContain("m=audio 20000 RTP/AVP 0 8 101\r\n");
    const answer = answerAudioOffer(
      parsed(serializeSdp(offer)),
      { address: "127.0.0.2", port: 40000, codecs: ["PCMA"] },
      version,
    );
    if (!answer.ok) throw new Error(answer.reason);
    expect(acceptAudioAnswer(offer, answer.answer)).toEqual({
      ok: true,
      audio: {
        codec: "PCMA",
        payloadType: 8,
        telephoneEvent: 101,
        remote: { address: "127.0.0.2", port: 40000 },
        direction: "sendrecv",
        ptime: 20,
      },
    });
    const rejected = { ...answer.answer, media: answer.answer.media.map((m) => ({ ...m, port: 0 })) };
    expect(acceptAudioAnswer(offer, rejected).ok).toBe(false);
  });
});
