import type { RTCPeerConnection } from "werift";

/** The parts of werift 0.24's DTLS socket that writing one record needs (not in its typed API). */
interface DtlsSocketInternals {
  readonly dtls: {
    readonly version: { readonly major: number; readonly minor: number };
    readonly epoch: number;
    recordSequenceNumber: number;
  };
  readonly cipher: {
    encryptPacket(packet: DtlsRecord): DtlsRecord;
  };
  /** Sends on the ICE connection (a promise in werift 0.24). */
  readonly transport: { send(bytes: Buffer): unknown };
}

interface DtlsRecord {
  recordLayerHeader: {
    contentType: number;
    protocolVersion: { readonly major: number; readonly minor: number };
    epoch: number;
    sequenceNumber: number;
    contentLen: number;
  };
  fragment: Buffer;
}

const ALERT = 21;
/** Level warning (1), description close_notify (0): RFC 5246 §7.2.1. */
const CLOSE_NOTIFY = Buffer.from([1, 0]);

/**
 * Tells the peer the connection is over with an encrypted DTLS close_notify alert (RFC 5246 §7.2.1), as a browser
 * does when its `RTCPeerConnection` closes. werift 0.24 reads such an alert (the connection becomes `closed`) but
 * does not send one on `close()` (a to-do in its DTLS transport), so a peer would only notice when ICE consent
 * expires, 30 s later. Written through werift's DTLS socket internals, so it is best effort: false when they are
 * not there (another werift version) or the connection never got its keys.
 */
export async function sendDtlsCloseNotify(connection: RTCPeerConnection): Promise<boolean> {
  const sends: Promise<unknown>[] = [];
  for (const transport of connection.dtlsTransports) {
    if (transport.state !== "connected") continue;
    const socket = transport.dtls as unknown as Partial<DtlsSocketInternals> | undefined;
    if (!socket?.dtls || !socket.cipher || !socket.transport) continue;
    try {
      const context = socket.dtls;
      context.recordSequenceNumber += 1;
      const record = socket.cipher.encryptPacket({
        recordLayerHeader: {
          contentType: ALERT,
          protocolVersion: context.version,
          epoch: context.epoch,
          sequenceNumber: context.recordSequenceNumber,
          contentLen: CLOSE_NOTIFY.length,
        },
        fragment: Buffer.from(CLOSE_NOTIFY),
      });
      const header = Buffer.alloc(13);
      header.writeUInt8(ALERT, 0);
      header.writeUInt8(context.version.major, 1);
      header.writeUInt8(context.version.minor, 2);
      header.writeUInt16BE(context.epoch, 3);
      header.writeUIntBE(context.recordSequenceNumber, 5, 6);
      header.writeUInt16BE(record.fragment.length, 11);
      sends.push(Promise.resolve(socket.transport.send(Buffer.concat([header, record.fragment]))).catch(() => undefined));
    } catch {
      // Best effort: the peer still learns of the end through signaling or ICE consent.
    }
  }
  await Promise.all(sends);
  // werift hands the datagram to the ICE socket without a promise for its leaving: closing at once would drop it.
  if (sends.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  return sends.length > 0;
}
