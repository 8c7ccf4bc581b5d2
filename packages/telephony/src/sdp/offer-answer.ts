import {
  type Direction,
  directionOf,
  type MediaDescription,
  mediaAddress,
  rtpMaps,
  type SdpAttribute,
  type SessionDescription,
} from "./session-description.js";

export type AudioCodecName = "PCMU" | "PCMA";

/** Static payload types of RFC 3551. */
export const STATIC_PAYLOAD_TYPES: Readonly<Record<AudioCodecName, number>> = { PCMU: 0, PCMA: 8 };
export const DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE = 101;

/** Our side of an audio stream. */
export interface LocalAudio {
  readonly address: string;
  readonly port: number;
  /** In order of preference (default PCMU, PCMA). */
  readonly codecs?: readonly AudioCodecName[];
  /** Payload type to offer RFC 4733 telephone-event with (default 101), or false for none. */
  readonly telephoneEvent?: number | false;
  readonly direction?: Direction;
}

/** The origin's identity and version: one per call leg, the version bumped on every new description. */
export interface SdpSessionVersion {
  readonly sessionId: string;
  readonly version: number;
  readonly username?: string;
}

/** What both sides agreed on for the audio stream. */
export interface NegotiatedAudio {
  readonly codec: AudioCodecName;
  readonly payloadType: number;
  /** Payload type of telephone-event, when both sides support it. */
  readonly telephoneEvent?: number;
  /** Where to send RTP; port 0 or address 0.0.0.0 mean nowhere (held with the RFC 2543 convention). */
  readonly remote: { readonly address: string; readonly port: number };
  /** Our direction, as written in our description. */
  readonly direction: Direction;
  /** Packetization time the peer asked for, when it did (a=ptime). */
  readonly ptime?: number;
}

export type AnswerResult =
  | { readonly ok: true; readonly answer: SessionDescription; readonly audio: NegotiatedAudio }
  | { readonly ok: false; readonly status: 488; readonly reason: string };

const ANSWER_DIRECTION: Readonly<Record<Direction, Direction>> = {
  sendrecv: "sendrecv",
  sendonly: "recvonly",
  recvonly: "sendonly",
  inactive: "inactive",
};

/** May we send, may we receive, given our direction? */
export const sends = (direction: Direction): boolean => direction === "sendrecv" || direction === "sendonly";
export const receives = (direction: Direction): boolean => direction === "sendrecv" || direction === "recvonly";

/** The intersection of two directions: what `ours` allows once the peer's `theirs` is applied (RFC 3264 §6.1). */
function answerDirection(offered: Direction, wanted: Direction): Direction {
  const mirrored = ANSWER_DIRECTION[offered];
  const send = sends(mirrored) && sends(wanted);
  const receive = receives(mirrored) && receives(wanted);
  return send && receive ? "sendrecv" : send ? "sendonly" : receive ? "recvonly" : "inactive";
}

function audioMedia(
  local: LocalAudio,
  payloadTypes: readonly number[],
  names: ReadonlyMap<number, string>,
  direction: Direction,
): MediaDescription {
  const attributes: SdpAttribute[] = [];
  for (const pt of payloadTypes) {
    const name = names.get(pt);
    if (name !== undefined) attributes.push({ name: "rtpmap", value: `${pt} ${name}/8000` });
    if (name === "telephone-event") attributes.push({ name: "fmtp", value: `${pt} 0-16` });
  }
  attributes.push({ name: "ptime", value: "20" }, { name: direction });
  return {
    media: "audio",
    port: local.port,
    protocol: "RTP/AVP",
    formats: payloadTypes.map(String),
    attributes,
    other: [],
  };
}

function session(version: SdpSessionVersion, address: string, media: MediaDescription[]): SessionDescription {
  const addrType = address.includes(":") ? "IP6" : "IP4";
  return {
    version: 0,
    origin: {
      username: version.username ?? "switchboard",
      sessionId: version.sessionId,
      sessionVersion: String(version.version),
      netType: "IN",
      addrType,
      address,
    },
    sessionName: "switchboard",
    connection: { netType: "IN", addrType, address },
    timing: { start: "0", stop: "0" },
    attributes: [],
    other: [],
    media,
  };
}

/** An offer of one audio stream with our codecs and telephone-event. */
export function createAudioOffer(local: LocalAudio, version: SdpSessionVersion): SessionDescription {
  const codecs = local.codecs ?? ["PCMU", "PCMA"];
  const telephoneEvent = local.telephoneEvent ?? DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE;
  const names = new Map<number, string>(codecs.map((c) => [STATIC_PAYLOAD_TYPES[c], c]));
  if (telephoneEvent !== false) names.set(telephoneEvent, "telephone-event");
  return session(version, local.address, [audioMedia(local, [...names.keys()], names, local.direction ?? "sendrecv")]);
}

function findTelephoneEvent(
  maps: ReadonlyMap<number, { encoding: string; clockRate: number }>,
  formats: readonly string[],
): number | undefined {
  for (const format of formats) {
    const map = maps.get(Number(format));
    if (map && map.encoding.toLowerCase() === "telephone-event" && map.clockRate === 8000) return Number(format);
  }
  return undefined;
}

function ptimeOf(media: MediaDescription): number | undefined {
  const value = media.attributes.find((a) => a.name === "ptime")?.value;
  const ms = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * RFC 3264 §6: accepts the first RTP/AVP audio stream with a codec we have (in the offerer's order), rejects
 * every other stream with port 0, mirrors the direction (sendonly → recvonly for hold) and keeps
 * telephone-event with the offerer's payload type. 488 when nothing is acceptable.
 */
export function answerAudioOffer(offer: SessionDescription, local: LocalAudio, version: SdpSessionVersion): AnswerResult {
  const ours = local.codecs ?? ["PCMU", "PCMA"];
  let chosen: { index: number; audio: NegotiatedAudio; media: MediaDescription } | undefined;
  for (const [index, media] of offer.media.entries()) {
    if (chosen || media.media !== "audio" || media.port === 0 || media.protocol.toUpperCase() !== "RTP/AVP") continue;
    const maps = rtpMaps(media);
    const codecFormat = media.formats.find((f) => {
      const map = maps.get(Number(f));
      return map !== undefined && map.clockRate === 8000 && ours.includes(map.encoding.toUpperCase() as AudioCodecName);
    });
    const remote = mediaAddress(offer, media);
    if (codecFormat === undefined || remote === undefined) continue;
    const codec = (maps.get(Number(codecFormat))?.encoding.toUpperCase() ?? "PCMU") as AudioCodecName;
    const telephoneEvent = local.telephoneEvent === false ? undefined : findTelephoneEvent(maps, media.formats);
    const offered = directionOf(offer, media);
    const held = remote.address === "0.0.0.0" || remote.address === "::";
    const direction = answerDirection(held ? "sendonly" : offered, local.direction ?? "sendrecv");
    const ptime = ptimeOf(media);
    chosen = {
      index,
      media,
      audio: {
        codec,
        payloadType: Number(codecFormat),
        ...(telephoneEvent === undefined ? {} : { telephoneEvent }),
        remote,
        direction,
        ...(ptime === undefined ? {} : { ptime }),
      },
    };
  }
  if (!chosen) return { ok: false, status: 488, reason: "no acceptable audio stream" };
  const { audio } = chosen;
  const names = new Map<number, string>([[audio.payloadType, audio.codec]]);
  if (audio.telephoneEvent !== undefined) names.set(audio.telephoneEvent, "telephone-event");
  const media = offer.media.map(
    (m, i): MediaDescription =>
      i === chosen.index
        ? audioMedia(local, [...names.keys()], names, audio.direction)
        : { ...m, port: 0, attributes: [], other: [] },
  );
  return { ok: true, answer: session(version, local.address, media), audio };
}

export type OfferOutcome =
  | { readonly ok: true; readonly audio: NegotiatedAudio }
  | { readonly ok: false; readonly reason: string };

/** The offerer's side: what an answer to our `offer` settled (the first audio stream the answer accepted). */
export function acceptAudioAnswer(offer: SessionDescription, answer: SessionDescription): OfferOutcome {
  for (const [index, media] of answer.media.entries()) {
    const offered = offer.media[index];
    if (!offered || media.media !== "audio" || media.port === 0) continue;
    const maps = rtpMaps(media);
    const offeredMaps = rtpMaps(offered);
    const format = media.formats.find((f) => {
      const map = maps.get(Number(f));
      return (
        map !== undefined &&
        (map.encoding.toUpperCase() === "PCMU" || map.encoding.toUpperCase() === "PCMA") &&
        offered.formats.includes(f)
      );
    });
    const remote = mediaAddress(answer, media);
    if (format === undefined || remote === undefined) continue;
    const codec = (maps.get(Number(format))?.encoding.toUpperCase() ?? "PCMU") as AudioCodecName;
    const telephoneEvent = findTelephoneEvent(maps, media.formats);
    const theirs = directionOf(answer, media);
    const ptime = ptimeOf(media);
    return {
      ok: true,
      audio: {
        codec,
        payloadType: Number(format),
        ...(telephoneEvent !== undefined && findTelephoneEvent(offeredMaps, offered.formats) !== undefined
          ? { telephoneEvent }
          : {}),
        remote,
        direction: answerDirection(theirs, directionOf(offer, offered)),
        ...(ptime === undefined ? {} : { ptime }),
      },
    };
  }
  return { ok: false, reason: "the answer accepted no audio stream" };
}
