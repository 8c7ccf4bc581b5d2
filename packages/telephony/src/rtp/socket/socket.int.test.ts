import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import type { RtpPacket } from "../packet/rtp-packet.js";
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
});
