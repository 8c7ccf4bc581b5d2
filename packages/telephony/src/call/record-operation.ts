import type { Key, Prompt, Recording, RecordOptions, RecordOutcome } from "@switchboard/core";
import type { PlayHandle } from "../media/frame-source.js";
import { FRAME_MS, FRAME_SAMPLES } from "../rtp/audio/audio.js";
import type { DtmfSource } from "../rtp/dtmf/digits.js";
import { type Halt, Operation, type OperationHost } from "./operation.js";

/** The beep before recording: 1 kHz for a quarter second, rendered like any tone prompt. */
export const RECORD_BEEP: Prompt = { kind: "tone", frequencies: [1000], durationMs: 250 };

const MAX_DURATION_MS = 60_000;
const SILENCE_TIMEOUT_MS = 3_000;
const STOP_KEYS = "#*";
/** Consecutive loud frames that count as speech (40 ms): a click or a pop does not. */
const SPEECH_FRAMES = 2;
/** Silence kept after the last speech when the recording ends on silence. */
const TAIL_FRAMES = 10;
/** Frames dropped at the end when a key heard as a tone stopped the recording: the tone is not part of the audio. */
const INBAND_KEY_FRAMES = 3;
/** Audio is kept in one-second blocks: one allocation a second instead of one a frame. */
const BLOCK_FRAMES = 50;

/** The mean square of a frame at `dbfs` (relative to a full-scale sine, as `dbfs()` measures). */
export function frameEnergyAt(dbfs: number): number {
  const rms = (32767 / Math.SQRT2) * 10 ** (dbfs / 20);
  return rms * rms;
}

/**
 * Records the party: an optional beep, then one frame per media tick (silence where nothing arrived, so the
 * recording keeps real time). A frame whose energy exceeds the speech threshold is speech; once speech was
 * heard, `silenceTimeoutMs` of quiet ends the recording, and the silent tail is cut to 200 ms. Nothing is saved
 * when no speech was heard. A hang-up or a stop keeps what was said (the common end of a voicemail is the
 * caller hanging up).
 */
export class RecordOperation extends Operation<RecordOutcome> {
  private readonly blocks: Int16Array[] = [];
  private frames = 0;
  private heard = false;
  private voicedRun = 0;
  private silentRun = 0;
  private beep: PlayHandle | undefined;
  private stopCapture: (() => void) | undefined;
  private readonly maxFrames: number;
  private readonly silenceFrames: number;
  private readonly stopKeys: string;

  constructor(
    host: OperationHost,
    private readonly options: RecordOptions,
    /** Mean square above which a frame is speech (see `frameEnergyAt`). */
    private readonly speechEnergy: number,
  ) {
    super(host);
    this.maxFrames = Math.max(1, Math.ceil((options.maxDurationMs ?? MAX_DURATION_MS) / FRAME_MS));
    const silence = options.silenceTimeoutMs ?? SILENCE_TIMEOUT_MS;
    this.silenceFrames = silence <= 0 ? 0 : Math.max(1, Math.ceil(silence / FRAME_MS));
    this.stopKeys = options.stopKeys ?? STOP_KEYS;
  }

  start(): void {
    this.run().catch((error: unknown) => this.fail(error));
  }

  halt(reason: Halt): void {
    this.finish(reason);
  }

  override key(key: Key, source: DtmfSource): boolean {
    if (!this.stopKeys.includes(key)) return false;
    this.finish("key", key, source === "inband" ? INBAND_KEY_FRAMES : 0);
    return true;
  }

  protected override cleanup(): void {
    this.stopCapture?.();
    this.beep?.cancel();
  }

  private async run(): Promise<void> {
    if (this.options.beep ?? true) {
      const audio = await this.host.renderer.render(RECORD_BEEP);
      if (this.over) return;
      this.beep = this.host.player.enqueue(audio);
      await this.beep.done;
      if (this.over) return;
    }
    this.stopCapture = this.host.listenFrames((frame) => this.frame(frame));
  }

  private frame(frame: Int16Array | undefined): void {
    if (this.over) return;
    const index = this.frames % BLOCK_FRAMES;
    if (index === 0) this.blocks.push(new Int16Array(BLOCK_FRAMES * FRAME_SAMPLES));
    const block = this.blocks[this.blocks.length - 1] as Int16Array;
    let energy = 0;
    if (frame !== undefined) {
      const offset = index * FRAME_SAMPLES;
      for (let i = 0; i < FRAME_SAMPLES; i++) {
        const sample = frame[i] as number;
        block[offset + i] = sample;
        energy += sample * sample;
      }
      energy /= FRAME_SAMPLES;
    }
    this.frames++;
    if (energy > this.speechEnergy) {
      this.silentRun = 0;
      if (++this.voicedRun >= SPEECH_FRAMES) this.heard = true;
    } else {
      this.voicedRun = 0;
      if (this.heard) this.silentRun++;
    }
    if (this.heard && this.silenceFrames > 0 && this.silentRun >= this.silenceFrames) this.finish("silence");
    else if (this.frames >= this.maxFrames) this.finish("max-duration");
  }

  private finish(ended: RecordOutcome["ended"], key?: Key, dropFrames = 0): void {
    if (!this.end()) return;
    let keep = this.frames;
    if (ended === "silence") keep = Math.min(keep, keep - this.silentRun + TAIL_FRAMES);
    keep = Math.max(0, keep - dropFrames);
    const audio = this.heard && keep > 0 ? this.audio(keep) : undefined;
    const durationMs = (audio === undefined ? this.frames : keep) * FRAME_MS;
    // Unsaved (spoken input for a recognizer): the audio is handed back instead of stored.
    const store = this.options.save ?? true;
    (store ? this.save(audio) : Promise.resolve(undefined)).then(
      (recording) => {
        const outcome: RecordOutcome = {
          ...(recording === undefined ? {} : { recording }),
          ...(!store && audio !== undefined ? { audio } : {}),
          durationMs,
          ended,
          ...(key === undefined ? {} : { key }),
        };
        this.settle(outcome, { type: "record.ended", legId: this.host.legId, outcome });
      },
      (error: unknown) => this.fail(error),
    );
  }

  private async save(audio: Int16Array | undefined): Promise<Recording | undefined> {
    if (audio === undefined) return undefined;
    const { tenantId, callId } = this.host;
    return this.host.recordings.save({ tenantId, audio, ...(callId === undefined ? {} : { callId }) });
  }

  private audio(frames: number): Int16Array {
    const out = new Int16Array(frames * FRAME_SAMPLES);
    let offset = 0;
    for (const block of this.blocks) {
      if (offset >= out.length) break;
      const take = Math.min(block.length, out.length - offset);
      out.set(take === block.length ? block : block.subarray(0, take), offset);
      offset += take;
    }
    return out;
  }
}
