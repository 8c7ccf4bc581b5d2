// @ts-check
/**
 * The media plane's I/O thread (started by `ThreadedDatagramIo`, packages/telephony/src/rtp/socket/datagram-thread.ts):
 * it owns the RTP and RTCP sockets and does their system calls, so that the sends of a 20 ms tick for hundreds
 * of calls (a sendto each, which on loopback also delivers the packet) and the receives do not hold up the
 * main thread, where the media clock, the mixing and the call logic run.
 *
 * Plain JavaScript on purpose: it runs as it is from the sources (tests) and from the build alike.
 *
 * Messages from the main thread:
 *   { type: "bind", request, host, port, sockets: [rtpId, rtcpId] }  → { type: "bound", request, ok }
 *   { type: "close", request, sockets: [ids] }                       → { type: "closed", request }
 *   { type: "send", due, data: ArrayBuffer, addresses: string[] }    (records, below; the buffer is transferred)
 * Messages to the main thread:
 *   { type: "received", data: ArrayBuffer, addresses: string[] }     (records, below; transferred)
 *   { type: "sent", done: number[] }                                 (the sends that asked to be told)
 *   { type: "paced", jitter: number[], lateness: number[] }          (about once a second, with pacing)
 *   { type: "nice", applied }                                        (at start, when asked for a nice value)
 *
 * Sends and closes go through one queue, in the order they came: a batch with a `due` time (absolute
 * monotonic ms, `performance.timeOrigin + performance.now()`, the same in every thread) waits for it, and
 * what came after waits behind it (a socket's datagrams never overtake each other, nor its close).
 *
 * Records, big-endian, back to back:
 *   send:     socket u32 | port u16 | address index u16 | done token u32 (0: none) | length u16 | bytes
 *   received: socket u32 | port u16 | address index u16 | length u16 | bytes
 */
import dgram from "node:dgram";
import dns from "node:dns";
import { readlinkSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";

const port = parentPort;
if (!port) throw new Error("datagram-worker runs as a worker thread");

// A nice value for this thread alone (on Linux a thread is scheduled on its own, named by its thread id), as
// media servers raise their media threads' priority: the cadence on the wire then does not wait for a CPU
// behind ordinary work. Below 0 it takes root or CAP_SYS_NICE; without, the thread keeps the process's.
if (typeof workerData?.nice === "number") {
  let applied = false;
  try {
    const thread = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(thread)) {
      os.setPriority(thread, workerData.nice);
      applied = true;
    }
  } catch {
    // Not Linux, or not allowed.
  }
  port.postMessage({ type: "nice", applied });
}

/** @type {Map<number, dgram.Socket>} */
const sockets = new Map();

/** How long received datagrams are gathered before they go to the main thread. */
const INBOX_GATHER_MS = 4;

/** Received datagrams waiting to go to the main thread, encoded as records. */
let inbox = Buffer.allocUnsafe(256 * 1024);
let inboxLength = 0;
/** @type {Map<string, number>} */
let inboxAddresses = new Map();
let inboxScheduled = false;

/** @type {number[]} */
let sent = [];
let sentScheduled = false;

/**
 * Sends and closes in the order they came; a send batch may wait for its due time.
 * @type {({ due: number, data: ArrayBuffer, addresses: string[] } | { due: 0, close: number[], request: number })[]}
 */
const queue = [];
/** Pacing figures, sent to the main thread about once a second. */
let lastPaced = { at: 0, due: 0 };
/** @type {number[]} */
let jitter = [];
/** @type {number[]} */
let lateness = [];

port.on("message", (message) => {
  switch (message.type) {
    case "send":
      enqueue({ due: message.due, data: message.data, addresses: message.addresses });
      break;
    case "bind":
      bindPair(message.host, message.port, message.sockets).then((ok) =>
        port.postMessage({ type: "bound", request: message.request, ok }),
      );
      break;
    case "close":
      enqueue({ due: 0, close: message.sockets, request: message.request });
      break;
  }
});

/** @param {(typeof queue)[number]} entry */
function enqueue(entry) {
  queue.push(entry);
  if (queue.length === 1) drain();
}

const TIME_ORIGIN = performance.timeOrigin;
const monotonic = () => TIME_ORIGIN + performance.now();

function drain() {
  while (queue.length > 0) {
    const head = queue[0];
    if (!head) break;
    const now = monotonic();
    // Timers fire on whole milliseconds: within half of one is on time.
    if (head.due > now + 0.5) {
      setTimeout(drain, head.due - now);
      return;
    }
    queue.shift();
    if ("close" in head) {
      const request = head.request;
      Promise.all(head.close.map(close)).then(() => port.postMessage({ type: "closed", request }));
      continue;
    }
    if (head.due > 0) paced(head.due, now);
    sendAll(head.data, head.addresses);
  }
}

/**
 * @param {number} due
 * @param {number} now
 */
function paced(due, now) {
  if (lastPaced.due > 0 && due > lastPaced.due) jitter.push(Math.abs(now - lastPaced.at - (due - lastPaced.due)));
  lateness.push(Math.max(0, now - due));
  lastPaced = { at: now, due };
  if (lateness.length >= 50) {
    port.postMessage({ type: "paced", jitter, lateness });
    jitter = [];
    lateness = [];
  }
}

/**
 * @param {ArrayBuffer} data
 * @param {string[]} addresses
 */
function sendAll(data, addresses) {
  const view = new DataView(data);
  const bytes = Buffer.from(data);
  let offset = 0;
  while (offset < data.byteLength) {
    const socket = sockets.get(view.getUint32(offset));
    const to = view.getUint16(offset + 4);
    const address = addresses[view.getUint16(offset + 6)] ?? "";
    const done = view.getUint32(offset + 8);
    const length = view.getUint16(offset + 12);
    offset += 14;
    const payload = bytes.subarray(offset, offset + length);
    offset += length;
    if (!socket) {
      if (done) tell(done);
      continue;
    }
    try {
      if (done) socket.send(payload, to, address, () => tell(done));
      else socket.send(payload, to, address);
    } catch {
      // Closed meanwhile: dropped.
      if (done) tell(done);
    }
  }
}

/** @param {number} done */
function tell(done) {
  sent.push(done);
  if (sentScheduled) return;
  sentScheduled = true;
  setImmediate(() => {
    sentScheduled = false;
    const list = sent;
    sent = [];
    port.postMessage({ type: "sent", done: list });
  });
}

/**
 * @param {number} id
 * @param {Buffer} data
 * @param {dgram.RemoteInfo} from
 */
function receive(id, data, from) {
  const needed = inboxLength + 10 + data.length;
  if (needed > inbox.length) {
    const bigger = Buffer.allocUnsafe(Math.max(needed, inbox.length * 2));
    inbox.copy(bigger, 0, 0, inboxLength);
    inbox = bigger;
  }
  let address = inboxAddresses.get(from.address);
  if (address === undefined) {
    address = inboxAddresses.size;
    inboxAddresses.set(from.address, address);
  }
  inbox.writeUInt32BE(id, inboxLength);
  inbox.writeUInt16BE(from.port, inboxLength + 4);
  inbox.writeUInt16BE(address, inboxLength + 6);
  inbox.writeUInt16BE(data.length, inboxLength + 8);
  data.copy(inbox, inboxLength + 10);
  inboxLength = needed;
  if (inboxScheduled) return;
  inboxScheduled = true;
  // Gathered for a few milliseconds, then handed over in one message: a message per turn of this loop would
  // wake the main thread thousands of times a second at hundreds of calls. The receivers' jitter buffers
  // absorb the wait.
  setTimeout(flushInbox, INBOX_GATHER_MS);
}

function flushInbox() {
  inboxScheduled = false;
  const data = new ArrayBuffer(inboxLength);
  new Uint8Array(data).set(inbox.subarray(0, inboxLength));
  const addresses = [...inboxAddresses.keys()];
  inboxLength = 0;
  inboxAddresses = new Map();
  port.postMessage({ type: "received", data, addresses }, [data]);
}

/**
 * @param {string} host
 * @param {number} rtpPort
 * @param {[number, number]} ids
 */
async function bindPair(host, rtpPort, ids) {
  const type = net.isIPv6(host) ? "udp6" : "udp4";
  const pair = [dgram.createSocket({ type, lookup: literalLookup }), dgram.createSocket({ type, lookup: literalLookup })];
  try {
    await bind(pair[0], rtpPort, host);
    await bind(pair[1], rtpPort + 1, host);
  } catch {
    await Promise.all(pair.map(closeSocket));
    return false;
  }
  pair.forEach((socket, i) => {
    const id = ids[i] ?? 0;
    sockets.set(id, socket);
    // A late ICMP error or a send to a vanished peer must not end the thread.
    socket.on("error", () => {});
    socket.on("message", (data, from) => receive(id, data, from));
  });
  return true;
}

/** @param {number} id */
async function close(id) {
  const socket = sockets.get(id);
  if (!socket) return;
  sockets.delete(id);
  await closeSocket(socket);
}

/**
 * dgram resolves every destination through `dns.lookup`, which answers an IP literal only on the next tick:
 * media addresses are literals, answered at once (see `LocalDatagramIo`).
 * @param {string} hostname
 * @param {unknown} options
 * @param {(error: NodeJS.ErrnoException | null, address: string, family: number) => void} callback
 */
function literalLookup(hostname, options, callback) {
  const family = net.isIP(hostname);
  if (family !== 0) {
    callback(null, hostname, family);
    return;
  }
  /** @type {any} */ (dns.lookup)(hostname, options, callback);
}

/**
 * @param {dgram.Socket} socket
 * @param {number} at
 * @param {string} host
 * @returns {Promise<void>}
 */
function bind(socket, at, host) {
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(at, host, () => {
      socket.removeListener("error", reject);
      resolve();
    });
  });
}

/**
 * @param {dgram.Socket} socket
 * @returns {Promise<void>}
 */
function closeSocket(socket) {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
