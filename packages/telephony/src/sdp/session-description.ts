import { hasControlCharacter } from "../sip/message/lexer.js";

/** RFC 4566: the parts of a session description that calls need, anything else kept in order as `other`. */
export interface SdpOrigin {
  readonly username: string;
  /** Kept as text: these are 64-bit numbers in practice. */
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

export interface SdpConnection {
  readonly netType: string;
  readonly addrType: string;
  /** An address, possibly with `/ttl` for multicast (kept as written). */
  readonly address: string;
}

export interface SdpAttribute {
  readonly name: string;
  /** Undefined for a property attribute (`a=sendrecv`). */
  readonly value?: string;
}

/** Lines this model does not interpret (`i=`, `b=`, `k=`, ...), kept with their type letter. */
export interface SdpLine {
  readonly type: string;
  readonly value: string;
}

export interface MediaDescription {
  readonly media: string;
  readonly port: number;
  readonly portCount?: number;
  readonly protocol: string;
  /** RTP payload type numbers for RTP/AVP, as text. */
  readonly formats: readonly string[];
  readonly connection?: SdpConnection;
  readonly attributes: readonly SdpAttribute[];
  readonly other: readonly SdpLine[];
}

export interface SessionDescription {
  readonly version: number;
  readonly origin: SdpOrigin;
  readonly sessionName: string;
  readonly connection?: SdpConnection;
  readonly timing: { readonly start: string; readonly stop: string };
  readonly attributes: readonly SdpAttribute[];
  readonly other: readonly SdpLine[];
  readonly media: readonly MediaDescription[];
}

export type SdpParseResult =
  | { readonly ok: true; readonly sdp: SessionDescription }
  | { readonly ok: false; readonly reason: string };

const bad = (reason: string): SdpParseResult => ({ ok: false, reason });
const MAX_SDP_BYTES = 16 * 1024;
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;

/** Strict where calls depend on it (v, o, s, t, c, m), tolerant of LF-only line ends (RFC 4566 §5). Never throws. */
export function parseSdp(text: string): SdpParseResult {
  if (text.length > MAX_SDP_BYTES) return bad("session description too large");
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  let version: number | undefined;
  let origin: SdpOrigin | undefined;
  let sessionName: string | undefined;
  let connection: SdpConnection | undefined;
  let timing: { start: string; stop: string } | undefined;
  const attributes: SdpAttribute[] = [];
  const other: SdpLine[] = [];
  const media: {
    media: string;
    port: number;
    portCount?: number;
    protocol: string;
    formats: string[];
    connection?: SdpConnection;
    attributes: SdpAttribute[];
    other: SdpLine[];
  }[] = [];

  for (const [index, line] of lines.entries()) {
    if (!/^[a-z]=/.test(line)) return bad(`malformed line ${index + 1}`);
    if (hasControlCharacter(line)) return bad(`control character on line ${index + 1}`);
    const type = line[0] as string;
    const value = line.slice(2);
    if (index === 0 && type !== "v") return bad("first line is not v=");
    const current = media[media.length - 1];
    switch (type) {
      case "v":
        if (index !== 0 || value !== "0") return bad("unsupported version");
        version = 0;
        break;
      case "o": {
        const parts = value.split(" ");
        if (parts.length !== 6 || current || origin) return bad("malformed o=");
        const [username = "", sessionId = "", sessionVersion = "", netType = "", addrType = "", address = ""] = parts;
        if (!/^\d+$/.test(sessionId) || !/^\d+$/.test(sessionVersion) || !parts.every((p) => p !== ""))
          return bad("malformed o=");
        origin = { username, sessionId, sessionVersion, netType, addrType, address };
        break;
      }
      case "s":
        if (current || sessionName !== undefined) return bad("misplaced s=");
        sessionName = value;
        break;
      case "c": {
        const parsed = parseConnection(value);
        if (!parsed) return bad("malformed c=");
        if (current) {
          if (current.connection) return bad("two c= lines in one media");
          current.connection = parsed;
        } else {
          if (connection) return bad("two session c= lines");
          connection = parsed;
        }
        break;
      }
      case "t": {
        const match = /^(\d+) (\d+)$/.exec(value);
        if (!match || current) return bad("malformed t=");
        timing ??= { start: match[1] ?? "0", stop: match[2] ?? "0" };
        break;
      }
      case "m": {
        const match = /^([a-z0-9-]+) (\d{1,5})(?:\/(\d{1,5}))? ([A-Za-z0-9/.\-_]+)((?: \S+)+)$/i.exec(value);
        if (!match) return bad("malformed m=");
        const port = Number(match[2]);
        if (port > 65535) return bad("malformed m= port");
        media.push({
          media: (match[1] ?? "").toLowerCase(),
          port,
          ...(match[3] === undefined ? {} : { portCount: Number(match[3]) }),
          protocol: match[4] ?? "",
          formats: (match[5] ?? "").trim().split(" "),
          attributes: [],
          other: [],
        });
        break;
      }
      case "a": {
        const colon = value.indexOf(":");
        const name = colon === -1 ? value : value.slice(0, colon);
        if (!TOKEN.test(name)) return bad("malformed a=");
        const attribute: SdpAttribute = colon === -1 ? { name } : { name, value: value.slice(colon + 1) };
        (current ? current.attributes : attributes).push(attribute);
        break;
      }
      default:
        (current ? current.other : other).push({ type, value });
    }
  }
  if (version === undefined) return bad("missing v=");
  if (!origin) return bad("missing o=");
  if (sessionName === undefined) return bad("missing s=");
  if (!timing) return bad("missing t=");
  for (const m of media) {
    if (!m.connection && !connection && m.port !== 0) return bad("media without a connection address");
  }
  return {
    ok: true,
    sdp: { version, origin, sessionName, ...(connection ? { connection } : {}), timing, attributes, other, media },
  };
}

function parseConnection(value: string): SdpConnection | undefined {
  const parts = value.split(" ");
  if (parts.length !== 3) return undefined;
  const [netType = "", addrType = "", address = ""] = parts;
  if (netType !== "IN" || (addrType !== "IP4" && addrType !== "IP6") || address === "") return undefined;
  return { netType, addrType, address };
}

export function serializeSdp(sdp: SessionDescription): string {
  const out: string[] = [
    `v=${sdp.version}`,
    `o=${sdp.origin.username} ${sdp.origin.sessionId} ${sdp.origin.sessionVersion} ${sdp.origin.netType} ${sdp.origin.addrType} ${sdp.origin.address}`,
    `s=${sdp.sessionName}`,
  ];
  for (const line of sdp.other) out.push(`${line.type}=${line.value}`);
  if (sdp.connection) out.push(`c=${formatConnection(sdp.connection)}`);
  out.push(`t=${sdp.timing.start} ${sdp.timing.stop}`);
  for (const attribute of sdp.attributes) out.push(formatAttribute(attribute));
  for (const m of sdp.media) {
    const ports = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
    out.push(`m=${m.media} ${ports} ${m.protocol} ${m.formats.join(" ")}`);
    for (const line of m.other) out.push(`${line.type}=${line.value}`);
    if (m.connection) out.push(`c=${formatConnection(m.connection)}`);
    for (const attribute of m.attributes) out.push(formatAttribute(attribute));
  }
  return `${out.join("\r\n")}\r\n`;
}

const formatConnection = (c: SdpConnection) => `${c.netType} ${c.addrType} ${c.address}`;
const formatAttribute = (a: SdpAttribute) => (a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`);

export type Direction = "sendrecv" | "sendonly" | "recvonly" | "inactive";
const DIRECTIONS: readonly string[] = ["sendrecv", "sendonly", "recvonly", "inactive"];

/** The media's direction attribute, else the session's, else sendrecv (RFC 4566 §6). */
export function directionOf(sdp: SessionDescription, media: MediaDescription): Direction {
  const own = media.attributes.find((a) => DIRECTIONS.includes(a.name));
  const session = sdp.attributes.find((a) => DIRECTIONS.includes(a.name));
  return (own?.name ?? session?.name ?? "sendrecv") as Direction;
}

export interface RtpMap {
  readonly encoding: string;
  readonly clockRate: number;
  readonly channels?: number;
}

/** `a=rtpmap` entries by payload type, with the static types 0 and 8 filled in when not mapped explicitly. */
export function rtpMaps(media: MediaDescription): Map<number, RtpMap> {
  const maps = new Map<number, RtpMap>();
  for (const format of media.formats) {
    if (format === "0") maps.set(0, { encoding: "PCMU", clockRate: 8000 });
    if (format === "8") maps.set(8, { encoding: "PCMA", clockRate: 8000 });
  }
  for (const attribute of media.attributes) {
    if (attribute.name !== "rtpmap" || attribute.value === undefined) continue;
    const match = /^(\d{1,3}) ([^/\s]+)\/(\d+)(?:\/(\d+))?$/.exec(attribute.value.trim());
    if (!match) continue;
    maps.set(Number(match[1]), {
      encoding: match[2] ?? "",
      clockRate: Number(match[3]),
      ...(match[4] === undefined ? {} : { channels: Number(match[4]) }),
    });
  }
  return maps;
}

/** Where media for this stream goes: its c= (or the session's) and port. */
export function mediaAddress(sdp: SessionDescription, media: MediaDescription): { address: string; port: number } | undefined {
  const connection = media.connection ?? sdp.connection;
  if (!connection) return undefined;
  return { address: connection.address.split("/")[0] ?? connection.address, port: media.port };
}
