import { sequenceDelta, timestampDelta } from "../packet/rtp-packet.js";
import { type DtmfDigit, digitOfEventCode, eventCodeOf } from "./digits.js";

/** RFC 4733 §2.3: the 4-byte payload of a telephone-event packet. */
export interface TelephoneEventPayload {
  readonly event: number;
  readonly end: boolean;
  /** Power level in -dBm0, 0-63. */
  readonly volume: number;
  /** In timestamp units (8000 Hz), since the event's timestamp. */
  readonly duration: number;
}

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEventPayload | undefined {
  if (payload.length < 4) return undefined;
  const flags = payload[1] as number;
  return {
    event: payload[0] as number,
    end: (flags & 0x80) !== 0,
    volume: flags & 0x3f,
    duration: ((payload[2] as number) << 8) | (payload[3] as number),
  };
}

export function serializeTelephoneEvent(event: TelephoneEventPayload): Buffer {
  return Buffer.from([
    event.event & 0xff,
    (event.end ? 0x80 : 0) | (event.volume & 0x3f),
    (event.duration >> 8) & 0xff,
    event.duration & 0xff,
  ]);
}

export type TelephoneEventNotice =
  | { readonly type: "start"; readonly digit: DtmfDigit; readonly timestamp: number }
  | { readonly type: "end"; readonly digit: DtmfDigit; readonly timestamp: number; readonly durationMs: number };

/**
 * Turns a stream of telephone-event packets into one `start` and one `end` per key press, whatever the
 * redundancy: the repeated updates and the three end packets of RFC 4733 §2.5.1, lost first packets (the
 * event is noticed from any of its packets), late packets of an event already seen, and long events split
 * into segments (§2.5.1.3). Events are told apart by their RTP timestamp.
 */
export class TelephoneEventReceiver {
  private current: { timestamp: number; event: number; ended: boolean; duration: number } | undefined;
  private lastSequence: number | undefined;
  /** Timestamps of recent events, so that late or replayed packets of them are not new presses. */
  private readonly recent: number[] = [];

  receive(packet: {
    readonly sequenceNumber: number;
    readonly timestamp: number;
    readonly payload: Uint8Array;
  }): TelephoneEventNotice[] {
    const payload = parseTelephoneEvent(packet.payload);
    if (!payload) return [];
    const digit = digitOfEventCode(payload.event);
    const late = this.lastSequence !== undefined && sequenceDelta(packet.sequenceNumber, this.lastSequence) < 0;
    if (!late) this.lastSequence = packet.sequenceNumber;
    if (digit === undefined) return [];
    const notices: TelephoneEventNotice[] = [];
    const current = this.current;
    if (current === undefined || current.timestamp !== packet.timestamp) {
      if (late || this.recent.includes(packet.timestamp)) return [];
      if (current && !current.ended && current.event === payload.event && this.continues(current, packet.timestamp)) {
        // The next segment of a long event: same key, timestamp moved by the previous segment's duration.
        current.timestamp = packet.timestamp;
        current.duration = 0;
        this.remember(packet.timestamp);
      } else {
        if (current && !current.ended) {
          const previous = digitOfEventCode(current.event);
          if (previous)
            notices.push({ type: "end", digit: previous, timestamp: current.timestamp, durationMs: current.duration / 8 });
        }
        this.current = { timestamp: packet.timestamp, event: payload.event, ended: false, duration: 0 };
        this.remember(packet.timestamp);
        notices.push({ type: "start", digit, timestamp: packet.timestamp });
      }
    }
    const event = this.current;
    if (!event) return notices;
    event.duration = Math.max(event.duration, payload.duration);
    if (payload.end && !event.ended) {
      event.ended = true;
      notices.push({ type: "end", digit, timestamp: event.timestamp, durationMs: event.duration / 8 });
    }
    return notices;
  }

  private continues(current: { timestamp: number; duration: number }, timestamp: number): boolean {
    const delta = timestampDelta(timestamp, current.timestamp);
    return delta > 0 && delta <= current.duration + 800;
  }

  private remember(timestamp: number): void {
    this.recent.push(timestamp);
    if (this.recent.length > 16) this.recent.shift();
  }
}

export interface TelephoneEventPlanOptions {
  readonly durationMs?: number;
  readonly volume?: number;
  /** Interval between updates, the stream's packetization (default 20 ms). */
  readonly packetMs?: number;
  /** How many times the end packet is sent (default 3, RFC 4733 §2.5.1.4). */
  readonly endRepeats?: number;
}

/**
 * The packets of one key press (RFC 4733 §2.5.1), sent one per packet interval in place of audio, all with
 * the timestamp of the event's start: a first packet (RTP marker set), updates with growing duration, then
 * the end packet three times.
 */
export function telephoneEventPlan(
  digit: DtmfDigit,
  options: TelephoneEventPlanOptions = {},
): { marker: boolean; payload: Buffer }[] {
  const packetSamples = 8 * (options.packetMs ?? 20);
  const total = 8 * (options.durationMs ?? 100);
  const volume = options.volume ?? 10;
  const event = eventCodeOf(digit);
  const out: { marker: boolean; payload: Buffer }[] = [];
  for (let duration = packetSamples; duration < total; duration += packetSamples) {
    out.push({ marker: out.length === 0, payload: serializeTelephoneEvent({ event, end: false, volume, duration }) });
  }
  for (let i = 0; i < (options.endRepeats ?? 3); i++) {
    out.push({ marker: out.length === 0, payload: serializeTelephoneEvent({ event, end: true, volume, duration: total }) });
  }
  return out;
}
