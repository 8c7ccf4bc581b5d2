import dgram from "node:dgram";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RtpPacket } from "../packet/rtp-packet.js";
import type { RtcpPacket } from "../rtcp/rtcp-packet.js";
import { serializeRtcpCompound } from "../rtcp/rtcp-packet.js";
import { type DatagramEndpoint, type DatagramIo, type DatagramSocket, LocalDatagramIo } from "./datagram.js";
import { ThreadedDatagramIo } from "./datagram-thread.js";
import { RtpPortPool, type RtpSocketPair } from "./port-pool.js";
import { RtpStream } from "./rtp-stream.js";

const opened: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

const first = 40000 + 2 * Math.floor(Math.random() * 5000);

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 2));
};

const variants: [string, number, () => DatagramIo][] = [
  ["sockets on this thread", first, () => new LocalDatagramIo()],
  ["sockets on an I/O thread", first + 100, () => new ThreadedDatagramIo()],
];

describe.each(variants)("with %s", (_name, base, makeIo) => {
  let io: DatagramIo;
  beforeEach(() => {
    io = makeIo();
    opened.push(io);
  });

  describe("RtpPortPool", () => {
    it("hands out even RTP ports with RTCP on the next, skipping ports in use, and reports exhaustion", async () => {
      const blocker = dgram.createSocket("udp4");
      await new Promise<void>((resolve) => blocker.bind(base + 3, "127.0.0.1", resolve));
      opened.push({ close: () => new Promise<void>((resolve) => blocker.close(() => resolve())) });
      const pool = new RtpPortPool({ min: base - 1, max: base + 6, io });
      expect(pool.capacity).toBe(3);
      const pairs: RtpSocketPair[] = [];
      pairs.push(await pool.allocate(), await pool.allocate());
      opened.push(...pairs);
      expect(pairs.map((p) => p.port)).toEqual([base, base + 4]);
      // The second socket of each pair is bound to the port after the first.
      const prober = dgram.createSocket("udp4");
      opened.push({ close: () => new Promise<void>((resolve) => prober.close(() => resolve())) });
      const heard: number[] = [];
      for (const pair of pairs) pair.rtcp.onMessage(() => heard.push(pair.port));
      for (const pair of pairs) prober.send(Buffer.from("probe"), pair.port + 1, "127.0.0.1");
      await until(() => heard.length === 2);
      expect(heard.sort()).toEqual([base, base + 4]);
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
      const pool = new RtpPortPool({ min: base + 10, max: base + 40, io });
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
      const pool = new RtpPortPool({ min: base + 50, max: base + 80, io });
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
});

describe("ThreadedDatagramIo", () => {
  const base = first + 200;

  it("carries a tick's datagrams of many sockets both ways in order, tells when a send left, and closes", async () => {
    const io = new ThreadedDatagramIo();
    opened.push(io);
    const pairs: (readonly [DatagramSocket, DatagramSocket])[] = [];
    for (let i = 0; i < 20; i++) {
      const pair = await io.bindPair("127.0.0.1", base + 2 * i);
      if (!pair) throw new Error(`port ${base + 2 * i} taken`);
      pairs.push(pair);
    }
    // A port already bound (by the thread itself) is reported as taken, not thrown.
    expect(await io.bindPair("127.0.0.1", base)).toBeUndefined();
    const received: { to: number; from: DatagramEndpoint; text: string }[] = [];
    for (const [rtp] of pairs) rtp.onMessage((data, from) => received.push({ to: rtp.port, from, text: data.toString() }));
    // Every socket sends three datagrams to the next one in one synchronous run, as a media tick does.
    let left = 0;
    for (let round = 0; round < 3; round++) {
      pairs.forEach(([rtp], i) => {
        const next = pairs[(i + 1) % pairs.length]?.[0];
        rtp.send(Buffer.from(`${i}:${round}`), next?.port ?? 0, "127.0.0.1", () => left++);
      });
    }
    await until(() => received.length === 60 && left === 60);
    for (let i = 0; i < 20; i++) {
      const to = pairs[(i + 1) % 20]?.[0].port;
      const from = pairs[i]?.[0].port;
      expect(received.filter((r) => r.to === to).map((r) => [r.from, r.text])).toEqual(
        [0, 1, 2].map((round) => [{ address: "127.0.0.1", port: from }, `${i}:${round}`]),
      );
    }
    // A datagram sent just before its socket closes still leaves; one sent after is dropped, and its
    // callback still runs.
    const [lastRtp, lastRtcp] = pairs[19] ?? [];
    const [firstRtp] = pairs[0] ?? [];
    if (!lastRtp || !lastRtcp || !firstRtp) throw new Error("no sockets");
    lastRtp.send(Buffer.from("last words"), firstRtp.port, "127.0.0.1");
    const closing = lastRtp.close();
    let dropped = false;
    lastRtp.send(Buffer.from("too late"), firstRtp.port, "127.0.0.1", () => {
      dropped = true;
    });
    await Promise.all([closing, lastRtcp.close()]);
    await until(() => received.some((r) => r.text === "last words") && dropped);
    expect(received.some((r) => r.text === "too late")).toBe(false);
    // The closed port is free again.
    const again = await io.bindPair("127.0.0.1", base + 38);
    expect(again?.map((socket) => socket.port)).toEqual([base + 38, base + 39]);
    await io.close();
    await expect(io.bindPair("127.0.0.1", base + 60)).rejects.toThrow(/closed/);
  });
});

describe("ThreadedDatagramIo with pacing", () => {
  const base = first + 300;

  it("sends a tick's datagrams when they are due (the tick's due time plus the lead), in order with later sends", async () => {
    let dueAt: number | undefined;
    const io = new ThreadedDatagramIo({ pacing: { clock: { tickDueAt: () => dueAt }, aheadMs: 40 } });
    opened.push(io);
    const [a] = (await io.bindPair("127.0.0.1", base)) ?? [];
    const [b] = (await io.bindPair("127.0.0.1", base + 2)) ?? [];
    if (!a || !b) throw new Error("ports taken");
    const arrivals: { text: string; at: number }[] = [];
    b.onMessage((data) => arrivals.push({ text: data.toString(), at: performance.now() }));

    // A tick due 10 ms ago sends two datagrams: they leave 40 ms after it was due, so about 30 ms from now.
    const sentAt = performance.now();
    dueAt = sentAt - 10;
    a.send(Buffer.from("tick 1, first"), b.port, "127.0.0.1");
    a.send(Buffer.from("tick 1, second"), b.port, "127.0.0.1");
    // Outside a tick (an RTCP report, say): at once, but never ahead of what was sent before it.
    dueAt = undefined;
    a.send(Buffer.from("outside a tick"), b.port, "127.0.0.1");
    // The next tick, 20 ms later, 20 ms after the first.
    dueAt = sentAt + 10;
    a.send(Buffer.from("tick 2"), b.port, "127.0.0.1");
    dueAt = undefined;

    await until(() => arrivals.length === 4);
    expect(arrivals.map((r) => r.text)).toEqual(["tick 1, first", "tick 1, second", "outside a tick", "tick 2"]);
    const [first1, , outside, second] = arrivals.map((r) => r.at - sentAt);
    // Never before they are due (a busy machine only makes them later: no upper bounds, and no gap between
    // them either, as a late first tick shortens it); timers fire on whole milliseconds.
    expect(first1).toBeGreaterThanOrEqual(28);
    expect(outside).toBeGreaterThanOrEqual(first1 ?? 0);
    expect(second).toBeGreaterThanOrEqual(48);

    // The thread reports how steadily the ticks left, about once a second (every 50 ticks).
    for (let tick = 3; tick <= 52; tick++) {
      dueAt = sentAt + 10 + (tick - 2) * 20;
      a.send(Buffer.from(`tick ${tick}`), b.port, "127.0.0.1");
      dueAt = undefined;
      await new Promise<void>((resolve) => queueMicrotask(resolve));
    }
    await until(() => (io.pacedSendStats()?.ticks ?? 0) >= 50 && arrivals.length === 54);
    expect(arrivals.map((r) => r.text).slice(-3)).toEqual(["tick 50", "tick 51", "tick 52"]);
    // 52 ticks sent, reported by fifties.
    const stats = io.pacedSendStats();
    expect(stats?.ticks).toBe(50);
    // How steady it was depends on the machine (bench:sip measures it): here, that it is measured.
    expect(stats?.jitterMaxMs).toBeGreaterThanOrEqual(0);
    expect(stats?.jitterP99Ms).toBeLessThanOrEqual(stats?.jitterMaxMs ?? Number.NaN);
    const unpaced = new ThreadedDatagramIo();
    opened.push(unpaced);
    expect(unpaced.pacedSendStats()).toBeUndefined();
  });
});

describe("ThreadedDatagramIo's nice value", () => {
  it("sets the I/O thread's nice value when asked (raising it needs no privilege) and says so", async () => {
    const applied = new Promise<boolean>((resolve) => {
      const io = new ThreadedDatagramIo({ nice: 5, onNice: resolve });
      opened.push(io);
    });
    expect(await applied).toBe(process.platform === "linux");
  });
});
