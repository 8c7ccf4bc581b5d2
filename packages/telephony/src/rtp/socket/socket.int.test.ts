import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import type { RtpPacket } from "../packet/rtp-packet.js";
import type { RtcpPacket } from "../rtcp/rtcp-packet.js";
import { serializeRtcpCompound } from "../rtcp/rtcp-packet.js";
import { RtpPortPool, type RtpSocketPair } from "./port-pool.js";
import { RtpStream } from "./rtp-stream.js";

const opened: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0)) await item.close();
});

const base = 40000 + 2 * Math.floor(Math.random() * 5000);

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 2));
};

describe("RtpPortPool", () => {
  it("hands out even RTP ports with RTCP on the next, skipping ports in use, and reports exhaustion", async () => {
    const blocker = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => blocker.bind(base + 3, "127.0.0.1", resolve));
    opened.push({ close: () => new Promise<void>((resolve) => blocker.close(() => resolve())) });
    const pool = new RtpPortPool({ min: base - 1, max: base + 6 });
    expect(pool.capacity).toBe(3);
    const pairs: RtpSocketPair[] = [];
    pairs.push(await pool.allocate(), await pool.allocate());
    opened.push(...pairs);
    expect(pairs.map((p) => p.port)).toEqual([base, base + 4]);
    expect(pairs.every((p) => p.rtcp.address().port === p.port + 1)).toBe(true);
    await expect(pool.allocate()).rejects.toMatchObject({ code: "rtp.ports_exhausted" });
    await pairs[0]?.close();
    expect(pool.inUse).toBe(1);
    const again = await pool.allocate();
    opened.push(again);
    expect(again.port).toBe(base);
    expect(() => new RtpPortPool({ min: 3000, max: 3000 })).toThrow();
  });
});

describe("RtpStream", () => {
  it("sends with its SSRC and rising sequence numbers, and drops packets from strangers unless latching", async () => {
    const pool = new RtpPortPool({ min: base + 10, max: base + 40 });
    const a = new RtpStream(await pool.allocate());
    const b = new RtpStream(await pool.allocate());
    const c = new RtpStream(await pool.allocate(), { latch: true });
    opened.push(a, b, c);
    a.setRemote({ address: "127.0.0.1", port: b.localPort });
    b.setRemote({ address: "127.0.0.1", port: a.localPort });
    const got: RtpPacket[] = [];
    b.onPacket((packet) => got.push(packet));
    a.send(0, Buffer.alloc(160, 0xff), 160, true);
    a.send(0, Buffer.alloc(160, 0xff), 320);
    await until(() => got.length === 2);
    expect(got.map((p) => p.ssrc)).toEqual([a.ssrc, a.ssrc]);
    expect(((got[1]?.sequenceNumber ?? 0) - (got[0]?.sequenceNumber ?? 0) + 65536) % 65536).toBe(1);
    expect(got[0]?.marker).toBe(true);

    c.setRemote({ address: "127.0.0.1", port: 9 });
    const latched: RtpPacket[] = [];
    c.onPacket((packet) => latched.push(packet));
    a.setRemote({ address: "127.0.0.1", port: c.localPort });
    a.send(8, Buffer.alloc(160, 0xd5), 480);
    await until(() => latched.length === 1);
    expect(c.remote).toEqual({ address: "127.0.0.1", port: a.localPort });

    a.setRemote({ address: "127.0.0.1", port: b.localPort });
    c.setRemote({ address: "127.0.0.1", port: b.localPort });
    c.send(0, Buffer.alloc(10), 0);
    a.send(0, Buffer.alloc(10), 640);
    await until(() => got.length === 3 && b.stats.foreign === 1);
    expect(b.stats).toMatchObject({ packetsReceived: 3, foreign: 1 });
  });

  it("carries RTCP on the second socket: to the RTP port + 1 or a=rtcp's, latched on the first valid packet", async () => {
    const pool = new RtpPortPool({ min: base + 50, max: base + 80 });
    const a = new RtpStream(await pool.allocate());
    const b = new RtpStream(await pool.allocate(), { latch: true });
    const c = new RtpStream(await pool.allocate(), { latch: true });
    opened.push(a, b, c);
    a.setRemote({ address: "127.0.0.1", port: b.localPort });
    expect(a.rtcpRemote).toEqual({ address: "127.0.0.1", port: b.localPort + 1 });
    // b's peer said it was elsewhere (behind a NAT): b's RTCP latches onto where a's RTCP comes from.
    b.setRemote({ address: "127.0.0.1", port: 9 }, { address: "127.0.0.1", port: 11 });
    const got: RtcpPacket[][] = [];
    b.onRtcp((packets) => got.push([...packets]));
    a.sockets.rtcp.send(Buffer.from("not rtcp"), b.localPort + 1, "127.0.0.1");
    a.sendRtcp(serializeRtcpCompound([{ type: "rr", ssrc: a.ssrc, reports: [] }]));
    await until(() => got.length === 1 && b.stats.rtcpDropped === 1);
    expect(got[0]).toEqual([{ type: "rr", ssrc: a.ssrc, reports: [] }]);
    expect(b.rtcpRemote).toEqual({ address: "127.0.0.1", port: a.localPort + 1 });
    // An RTCP address from a=rtcp stays when RTP latches; a guessed one (port + 1) follows the latched RTP source.
    expect(b.remote).toEqual({ address: "127.0.0.1", port: 9 });
    c.setRemote({ address: "127.0.0.1", port: 9 });
    expect(c.rtcpRemote).toEqual({ address: "127.0.0.1", port: 10 });
    a.setRemote({ address: "127.0.0.1", port: c.localPort });
    const received: RtpPacket[] = [];
    c.onPacket((packet) => received.push(packet));
    a.send(0, Buffer.alloc(160, 0xff), 0);
    await until(() => received.length === 1);
    expect(c.remote).toEqual({ address: "127.0.0.1", port: a.localPort });
    expect(c.rtcpRemote).toEqual({ address: "127.0.0.1", port: a.localPort + 1 });
    // Held with c=0.0.0.0: neither RTP nor RTCP goes anywhere.
    c.setRemote({ address: "0.0.0.0", port: 4000 });
    expect(c.rtcpRemote).toBeUndefined();
    expect(c.sendRtcp(Buffer.alloc(8))).toBe(false);
  });
});
