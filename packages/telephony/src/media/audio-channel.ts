import type { FrameSource, PlayQueue } from "./frame-source.js";

export interface DtmfSendOptions {
  /** `rfc4733` (default when negotiated) or `inband` tones. */
  readonly mode?: "rfc4733" | "inband";
  readonly durationMs?: number;
  readonly gapMs?: number;
}

/**
 * The audio of one leg as the layers above it use it, one 20 ms frame per tick of the shared media clock each
 * way. `MediaSession` is the RTP implementation; the interface lets the leg operations (play, collect, record,
 * hold) and the mixer be tested on a fake channel without sockets, and will let a WebRTC leg join a bridge.
 */
export interface AudioChannel {
  /** The default source: audio queued to play. It stays first in line whatever source is set. */
  readonly player: PlayQueue;
  /** What is sent each tick; `undefined` sends only the player's audio (and silence when it is empty). */
  setSource(source: FrameSource | undefined): void;
  /**
   * What the peer sent for this tick, after the jitter and playout buffers; `undefined` when nothing arrived in
   * time. The array is reused on the next tick: read it, or copy it, within the tick.
   */
  receivedFrame(tick: number): Int16Array | undefined;
  /** Called once per tick with that tick's received frame (`undefined`: nothing arrived). */
  onFrame(listener: (frame: Int16Array | undefined, tick: number) => void): () => void;
  sendDtmf(digits: string, options?: DtmfSendOptions): Promise<void>;
}
