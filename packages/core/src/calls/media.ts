import type { DialTarget } from "./dialer.js";

/**
 * The media ports: what a call flow can do with a call leg, whatever carries it (a SIP phone or trunk
 * today, a browser over WebRTC later). The telephony package implements them over RTP; tests use an
 * in-memory fake. Every operation settles with its outcome, and the same outcome is reported as a
 * `MediaEvent` to the leg's listeners, so a flow can await it and a call record can log it.
 *
 * Audio crosses these ports as 16-bit linear PCM at 8 kHz (`Int16Array`), the telephone rate.
 */

/** Keys of a telephone keypad (RFC 4733 events 0-15). */
export type Key = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "*" | "#" | "A" | "B" | "C" | "D";

export const KEYS: readonly Key[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "A", "B", "C", "D"];

export const isKey = (value: string): value is Key => (KEYS as readonly string[]).includes(value);

/** What a caller hears. Prompts are rendered to audio by a `PromptRenderer`. */
export type Prompt =
  /** Text spoken by text-to-speech. */
  | { readonly kind: "speech"; readonly text: string; readonly voice?: string }
  /** Digits read one by one ("1 2 3"), e.g. to read back what was pressed. */
  | { readonly kind: "digits"; readonly digits: string; readonly voice?: string }
  /** A recording made on a call (`record`) or uploaded. */
  | { readonly kind: "recording"; readonly recordingId: string }
  /** A tone: the beep before recording, a ring-back. */
  | { readonly kind: "tone"; readonly frequencies: readonly number[]; readonly durationMs: number }
  | { readonly kind: "silence"; readonly durationMs: number }
  /** The hold music shipped with Switchboard (generated; loops seamlessly). */
  | { readonly kind: "music" };

/** 16-bit linear PCM at 8 kHz, mono. */
export type Audio = Int16Array;

export const SAMPLE_RATE = 8_000;

/** Turns a prompt into audio (text-to-speech, a stored recording, a generated tone). */
export interface PromptRenderer {
  render(prompt: Prompt): Promise<Audio>;
}

/** Keeps what `record` captured, and gives it back to play or download. */
export interface RecordingStore {
  /** `kind` defaults to `message`. */
  save(recording: {
    readonly tenantId: string;
    readonly audio: Audio;
    readonly callId?: string;
    readonly kind?: RecordingKind;
  }): Promise<Recording>;
  audio(tenantId: string, recordingId: string): Promise<Audio | undefined>;
  /** Removes the audio (and what is known of it); nothing happens when there is none. */
  delete(tenantId: string, recordingId: string): Promise<void>;
}

/**
 * What a recording is: a recorded conversation (`call`: a queue's or one started through the API), audio
 * a caller left or said on a call (`message`: voicemail, the demo's recording), or audio an admin uploaded
 * (`upload`: greetings, announcements, hold music). Retention applies to `call` recordings.
 */
export type RecordingKind = "call" | "message" | "upload";

export const RECORDING_KINDS: readonly RecordingKind[] = ["call", "message", "upload"];

export interface Recording {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: RecordingKind;
  readonly callId?: string;
  readonly durationMs: number;
  readonly createdAt: Date;
}

export interface PlayOptions {
  /** Keys that stop the playback (the key is reported and stays available to a following `collect`). Default none. */
  readonly interruptKeys?: string;
}

export type PlayOutcome =
  | { readonly ended: "finished" }
  | { readonly ended: "interrupted"; readonly key: Key }
  /** `stop()` was called, or another operation took over the leg. */
  | { readonly ended: "stopped" }
  | { readonly ended: "hung-up" };

export interface CollectOptions {
  /** Stop once this many keys were pressed. */
  readonly maxDigits: number;
  /** Keys that end the input without being part of it (default "#"). */
  readonly terminators?: string;
  /** How long to wait for the first key (default 5,000 ms). */
  readonly firstKeyTimeoutMs?: number;
  /** How long to wait between keys (default 3,000 ms). */
  readonly interKeyTimeoutMs?: number;
  /** The longest the whole input may take (default: no limit besides the others). */
  readonly totalTimeoutMs?: number;
}

export type CollectOutcome = {
  /** The keys pressed, terminator excluded. */
  readonly digits: string;
  readonly ended: "max-digits" | "terminator" | "no-input" | "inter-key-timeout" | "total-timeout" | "stopped" | "hung-up";
  readonly terminator?: Key;
};

export interface RecordOptions {
  /** Play a beep before recording (default true). */
  readonly beep?: boolean;
  /** The longest recording (default 60,000 ms). */
  readonly maxDurationMs?: number;
  /** Stop after this much silence once the caller has spoken (default 3,000 ms; 0 = never). */
  readonly silenceTimeoutMs?: number;
  /** Keys that stop the recording (default "#*"); the key is not part of the audio. */
  readonly stopKeys?: string;
  /**
   * Keep the audio in the recording store (default true). False for spoken input that is only
   * recognized: the outcome then carries the `audio` instead of a `recording`.
   */
  readonly save?: boolean;
}

export type RecordOutcome = {
  /** The captured audio, saved; absent when nothing was heard before the end. */
  readonly recording?: Recording;
  /** The captured audio, when `save: false` and something was heard. */
  readonly audio?: Audio;
  readonly durationMs: number;
  readonly ended: "silence" | "max-duration" | "key" | "stopped" | "hung-up";
  readonly key?: Key;
};

/**
 * The party asked to send the call elsewhere: the transfer key of a SIP phone (REFER) or, later, the
 * agent desktop. Whoever handles it dials the target and tells the party how it went.
 */
export interface TransferRequest {
  readonly target: DialTarget;
  /**
   * An attended transfer: the party consulted the target on another call (this leg of it, a leg of ours)
   * and asks that the target take this call over, instead of being dialled anew.
   */
  readonly replaces?: string;
  /**
   * `succeeded` once the target answered and took over, `failed` otherwise; resolves once the party was
   * told (so it is not hung up before it hears). Only the first call counts.
   */
  settle(outcome: "succeeded" | "failed"): Promise<void>;
}

/** Why a leg ended, as a call record keeps it. */
export interface HangupCause {
  /** Who ended it: this side (the platform), or the party on the leg. */
  readonly by: "platform" | "party";
  /** SIP status when the leg never answered (486 busy, 487 cancelled, 408 no answer …). */
  readonly status?: number;
  readonly reason: string;
}

/** What each media operation reports when it settles. */
export type MediaEvent =
  | { readonly type: "play.ended"; readonly legId: string; readonly outcome: PlayOutcome }
  | { readonly type: "collect.ended"; readonly legId: string; readonly outcome: CollectOutcome }
  | { readonly type: "record.ended"; readonly legId: string; readonly outcome: RecordOutcome }
  | { readonly type: "key.pressed"; readonly legId: string; readonly key: Key }
  | { readonly type: "dtmf.sent"; readonly legId: string; readonly digits: string }
  | { readonly type: "hold.started"; readonly legId: string }
  | { readonly type: "hold.ended"; readonly legId: string }
  | { readonly type: "bridge.started"; readonly legIds: readonly [string, string] }
  | { readonly type: "bridge.ended"; readonly legIds: readonly [string, string]; readonly reason: BridgeEnd }
  | { readonly type: "conference.joined"; readonly conferenceId: string; readonly legId: string }
  | { readonly type: "conference.left"; readonly conferenceId: string; readonly legId: string }
  | { readonly type: "transfer.requested"; readonly legId: string; readonly target: DialTarget }
  /** The party's phone put the call on hold (its hold key: a re-INVITE `sendonly`), or took it off. */
  | { readonly type: "party.held"; readonly legId: string; readonly held: boolean }
  | { readonly type: "leg.ended"; readonly legId: string; readonly cause: HangupCause };

/**
 * One party on a call, as a flow sees it. One audio operation at a time: starting `play`, `collect` or
 * `record` while another runs stops the running one (it settles as `stopped`). Keys pressed while no
 * `collect` runs are buffered (up to 32) for the next `collect`.
 */
export interface CallLegMedia {
  readonly id: string;
  /** Settles once, when the leg ends, whoever ended it. */
  readonly ended: Promise<HangupCause>;
  play(prompts: readonly Prompt[], options?: PlayOptions): Promise<PlayOutcome>;
  collect(options: CollectOptions): Promise<CollectOutcome>;
  record(options?: RecordOptions): Promise<RecordOutcome>;
  /** Stops the running play, collect or record. */
  stop(): void;
  /** Drops keys pressed so far and not yet collected. */
  flushKeys(): void;
  sendDtmf(digits: string): Promise<void>;
  /** Puts the party on hold: what it hears is the music (looped) until `resume`; its audio is not heard by others. */
  hold(music?: readonly Prompt[]): Promise<void>;
  resume(): Promise<void>;
  hangup(reason?: string): Promise<void>;
  onEvent(listener: (event: MediaEvent) => void): () => void;
  /** Transfers the party asks for; while no one listens, they are refused. */
  onTransferRequest(listener: (request: TransferRequest) => void): () => void;
}

/** Whether the leg has ended (its `ended` settled), without waiting for it. */
export async function hasEnded(leg: Pick<CallLegMedia, "ended">): Promise<boolean> {
  const running = Symbol("running");
  return (await Promise.race([leg.ended, Promise.resolve(running)])) !== running;
}

export type BridgeEnd = "unbridged" | "hung-up";

/** Two legs hearing each other through Switchboard (media anchored: recording and hold keep working). */
export interface Bridge {
  readonly legIds: readonly [string, string];
  /** Settles when either leg hangs up or `unbridge` is called. */
  readonly ended: Promise<BridgeEnd>;
  unbridge(): void;
}

/**
 * N legs, each hearing the mix of the others. Keys a member sends as events (RFC 4733, SIP INFO) are sent on
 * to the other members, so a caller connected to an outside IVR can dial through.
 */
export interface Conference {
  readonly id: string;
  readonly legIds: readonly string[];
  add(leg: CallLegMedia): void;
  remove(legId: string): void;
  close(): void;
  /** A muted member still hears the others, but they do not hear it, and recordings leave it out. */
  mute(legId: string, muted: boolean): void;
  isMuted(legId: string): boolean;
  /**
   * Starts capturing what the conference hears: the mix of every member that is neither muted nor on hold,
   * in real time (a moment nobody spoke is silence). Several captures may run at once.
   */
  record(): MixRecording;
}

/** A capture of a conference's mix. */
export interface MixRecording {
  readonly paused: boolean;
  /** Leaves out what is said from now until `resume` (the audio continues without a gap). */
  pause(): void;
  resume(): void;
  /** Ends the capture: the audio so far (once; later calls give an empty audio). */
  stop(): Audio;
}

/** Connects legs to each other. */
export interface MediaMixer {
  bridge(a: CallLegMedia, b: CallLegMedia): Bridge;
  conference(): Conference;
}
