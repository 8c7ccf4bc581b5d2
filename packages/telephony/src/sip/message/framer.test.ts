import { describe, expect, it } from "vitest";
import { SipStreamFramer } from "./framer.js";
import { FUZZ_CORPUS } from "./fuzz.js";
import { parseSipMessage } from "./parse.js";

const invite = Buffer.from(FUZZ_CORPUS[0] ?? "");
const ok = Buffer.from(FUZZ_CORPUS[1] ?? "");

describe("SipStreamFramer", () => {
  it("cuts coalesced messages apart and answers keep-alives", () => {
    const framer = new SipStreamFramer();
    const frames = framer.push(Buffer.concat([invite, Buffer.from("\r\n\r\n"), ok, invite]));
    expect(frames.map((f) => f.kind)).toEqual(["message", "keepalive", "message", "message"]);
    const first = frames[0];
    expect(first?.kind === "message" && first.bytes.equals(invite)).toBe(true);
    expect(framer.pending).toBe(0);
  });

  it("waits for partial messages, whatever the chunk size", () => {
    const stream = Buffer.concat([invite, ok, invite]);
    for (const size of [1, 2, 7, 64, 1000]) {
      const framer = new SipStreamFramer();
      const messages: Buffer[] = [];
      for (let at = 0; at < stream.length; at += size) {
        for (const frame of framer.push(stream.subarray(at, at + size))) if (frame.kind === "message") messages.push(frame.bytes);
      }
      expect(messages.map((m) => m.length)).toEqual([invite.length, ok.length, invite.length]);
      expect(messages.every((m) => parseSipMessage(m).ok)).toBe(true);
    }
  });

  it("fails on a missing or malformed Content-Length and then stays silent", () => {
    const framer = new SipStreamFramer();
    const noLength = Buffer.from("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n");
    const [frame] = framer.push(noLength);
    expect(frame).toMatchObject({ kind: "error", status: 400 });
    expect(frame?.kind === "error" && frame.head?.toString()).toContain("OPTIONS");
    expect(framer.push(invite)).toEqual([]);
    expect(new SipStreamFramer().push(Buffer.from("OPTIONS x SIP/2.0\r\nl: 1\r\nl: 2\r\n\r\n"))[0]).toMatchObject({
      kind: "error",
    });
  });

  it("refuses messages beyond the size limit before buffering them whole", () => {
    const framer = new SipStreamFramer({ maxMessageBytes: 1000, maxHeaderBytes: 1000, maxHeaders: 10 });
    expect(framer.push(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n`))[0]).toMatchObject({ status: 513 });
    const endless = new SipStreamFramer({ maxMessageBytes: 1000, maxHeaderBytes: 1000, maxHeaders: 10 });
    expect(endless.push(Buffer.alloc(1500, 0x41))[0]).toMatchObject({ status: 513 });
  });
});
