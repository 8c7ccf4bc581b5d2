import dgram from "node:dgram";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { SipMessage, SipParseFailure } from "../message/model.js";
import { parseSipMessage } from "../message/parse.js";
import { createResponse } from "../message/response.js";
import { parseVia } from "../message/via.js";
import type { Source } from "../transaction/model.js";
import { SipTransport } from "./transport.js";

const options = (sentBy: string, via = ";rport", extra = "") =>
  Buffer.from(
    `OPTIONS sip:agent@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP ${sentBy};branch=z9hG4bKt1${via}\r\nMax-Forwards: 70\r\n` +
      `From: <sip:probe@127.0.0.1>;tag=p1\r\nTo: <sip:agent@127.0.0.1>\r\nCall-ID: t-1\r\nCSeq: 1 OPTIONS\r\n${extra}Content-Length: 0\r\n\r\n`,
  );

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen() {
  const received: { message: SipMessage; source: Source }[] = [];
  const malformed: { failure: SipParseFailure; source: Source }[] = [];
  const transport = await SipTransport.listen({
    onMessage: (message, source) => received.push({ message, source }),
    onMalformed: (failure, source) => malformed.push({ failure, source }),
  });
  closers.push(() => transport.close());
  return { transport, received, malformed };
}

async function udpSocket(): Promise<{ socket: dgram.Socket; port: number; next: () => Promise<Buffer> }> {
  const socket = dgram.createSocket("udp4");
  const queue: Buffer[] = [];
  const waiters: ((b: Buffer) => void)[] = [];
  socket.on("message", (data) => {
    const waiter = waiters.shift();
    if (waiter) waiter(data);
    else queue.push(data);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return {
    socket,
    port: socket.address().port,
    next: () => {
      const ready = queue.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 2));
};

describe("SipTransport over UDP", () => {
  it("stamps received and rport on requests and answers to the source port (RFC 3581)", async () => {
    const { transport, received } = await listen();
    const client = await udpSocket();
    client.socket.send(options("192.0.2.99:5099"), transport.port, "127.0.0.1");
    await until(() => received.length === 1);
    const { message, source } = received[0] ?? { message: undefined, source: undefined };
    if (!message || !source || message.type !== "request") throw new Error("no request");
    const via = parseVia(message.headers.get("Via") ?? "");
    expect(via?.params.get("received")).toBe("127.0.0.1");
    expect(via?.params.get("rport")).toBe(String(client.port));
    await transport.sendResponse(createResponse(message, 200, { toTag: "x" }), source);
    const reply = parseSipMessage(await client.next());
    expect(reply.ok && reply.message.type === "response" && reply.message.status).toBe(200);
  });

  it("without rport, answers to the received address at the sent-by port (RFC 3261 §18.2.2)", async () => {
    const { transport, received } = await listen();
    const sender = await udpSocket();
    const listener = await udpSocket();
    sender.socket.send(options(`localhost:${listener.port}`, ""), transport.port, "127.0.0.1");
    await until(() => received.length === 1);
    const { message, source } = received[0] ?? {};
    if (!message || !source || message.type !== "request") throw new Error("no request");
    expect(parseVia(message.headers.get("Via") ?? "")?.params.get("received")).toBe("127.0.0.1");
    await transport.sendResponse(createResponse(message, 200), source);
    const reply = parseSipMessage(await listener.next());
    expect(reply.ok).toBe(true);
  });

  it("reports malformed datagrams with what could be read of them", async () => {
    const { transport, malformed } = await listen();
    const client = await udpSocket();
    client.socket.send(options("127.0.0.1:5099", ";rport", "CSeq: 2 OPTIONS\r\n"), transport.port, "127.0.0.1");
    client.socket.send(Buffer.from("\x00\x01garbage"), transport.port, "127.0.0.1");
    await until(() => malformed.length === 2);
    expect(malformed[0]?.failure.reason).toBe("more than one CSeq");
    expect(parseVia(malformed[0]?.failure.partial?.headers.get("Via") ?? "")?.params.get("rport")).toBe(String(client.port));
    expect(malformed[1]?.failure.partial).toBeUndefined();
  });
});

describe("SipTransport over TCP", () => {
  it("frames partial and coalesced messages, answers on the same connection and pongs keep-alives", async () => {
    const { transport, received } = await listen();
    const socket = net.connect(transport.port, "127.0.0.1");
    closers.push(() => void socket.destroy());
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    await new Promise((resolve) => socket.once("connect", resolve));
    const one = options("127.0.0.1:1;transport=tcp").toString().replace("SIP/2.0/UDP", "SIP/2.0/TCP");
    const two = one.replace("branch=z9hG4bKt1", "branch=z9hG4bKt2");
    socket.write(one.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 5));
    socket.write(`${one.slice(10)}${two}\r\n\r\n`);
    await until(() => received.length === 2 && chunks.length > 0);
    expect(Buffer.concat(chunks).toString()).toBe("\r\n");
    const { message, source } = received[0] ?? {};
    if (!message || !source || message.type !== "request") throw new Error("no request");
    expect(source.protocol).toBe("tcp");
    await transport.sendResponse(createResponse(message, 200), source);
    await until(() => Buffer.concat(chunks).toString().includes("SIP/2.0 200 OK"));
  });

  it("reports a stream it cannot frame and closes the connection", async () => {
    const { transport, malformed } = await listen();
    const socket = net.connect(transport.port, "127.0.0.1");
    closers.push(() => void socket.destroy());
    let closed = false;
    socket.on("close", () => {
      closed = true;
    });
    socket.on("error", () => undefined);
    socket.write(options("127.0.0.1:1").toString().replace("Content-Length: 0\r\n", ""));
    await until(() => malformed.length === 1 && closed);
    expect(malformed[0]?.failure).toMatchObject({ reason: "missing Content-Length on a stream", status: 400 });
    expect(malformed[0]?.failure.partial?.method).toBe("OPTIONS");
  });

  it("opens a connection for a request and reuses it", async () => {
    const a = await listen();
    const b = await listen();
    const request = parseSipMessage(options("127.0.0.1:1"));
    if (!request.ok || request.message.type !== "request") throw new Error("bad fixture");
    const destination = { protocol: "tcp" as const, host: "127.0.0.1", port: b.transport.port };
    await Promise.all([
      a.transport.sendRequest(request.message, destination),
      a.transport.sendRequest(request.message, destination),
    ]);
    await until(() => b.received.length === 2);
    expect(new Set(b.received.map((r) => r.source.connectionId)).size).toBe(1);
    await expect(a.transport.sendRequest(request.message, { ...destination, port: 1 })).rejects.toThrow();
  });

  it("sends a request to a peer that connected to us on that peer's connection (a NATed phone's flow)", async () => {
    const { transport, received } = await listen();
    const socket = net.connect(transport.port, "127.0.0.1");
    closers.push(() => void socket.destroy());
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(options("127.0.0.1:1;transport=tcp").toString().replace("SIP/2.0/UDP", "SIP/2.0/TCP"));
    await until(() => received.length === 1);
    const request = parseSipMessage(options("127.0.0.1:1"));
    if (!request.ok || request.message.type !== "request") throw new Error("bad fixture");
    // Nothing listens at the phone's source port: only its own connection reaches it.
    await transport.sendRequest(request.message, { protocol: "tcp", host: "127.0.0.1", port: socket.localPort ?? 0 });
    await until(() => Buffer.concat(chunks).toString().startsWith("OPTIONS sip:agent@127.0.0.1 SIP/2.0"));
  });

  it("connects out from the address it is bound to, as its Via says", async () => {
    const a = await SipTransport.listen({ host: "127.0.0.2", onMessage: () => undefined });
    closers.push(() => a.close());
    const b = await listen();
    const request = parseSipMessage(options("127.0.0.2:1"));
    if (!request.ok || request.message.type !== "request") throw new Error("bad fixture");
    await a.sendRequest(request.message, { protocol: "tcp", host: "127.0.0.1", port: b.transport.port });
    await until(() => b.received.length === 1);
    expect(b.received[0]?.source.address).toBe("127.0.0.2");
  });
});
