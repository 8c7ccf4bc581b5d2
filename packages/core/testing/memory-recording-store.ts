import type { Audio, Recording, RecordingKind, RecordingStore } from "../src/calls/media.js";

/**
 * Recordings in memory, for tests: ids `recording-1`, `recording-2`, … and the audio copied in and out, so a
 * test can neither be fooled by nor corrupt a buffer the media plane reuses.
 */
export class MemoryRecordingStore implements RecordingStore {
  private readonly items = new Map<string, { readonly recording: Recording; readonly audio: Audio }>();
  private count = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  async save(input: {
    readonly tenantId: string;
    readonly audio: Audio;
    readonly callId?: string;
    readonly kind?: RecordingKind;
  }): Promise<Recording> {
    this.count += 1;
    const recording: Recording = {
      id: `recording-${this.count}`,
      tenantId: input.tenantId,
      kind: input.kind ?? "message",
      ...(input.callId === undefined ? {} : { callId: input.callId }),
      durationMs: Math.round(input.audio.length / 8),
      createdAt: this.now(),
    };
    this.items.set(recording.id, { recording, audio: input.audio.slice() });
    return recording;
  }

  async audio(tenantId: string, recordingId: string): Promise<Audio | undefined> {
    const item = this.items.get(recordingId);
    return item && item.recording.tenantId === tenantId ? item.audio.slice() : undefined;
  }

  async delete(tenantId: string, recordingId: string): Promise<void> {
    if (this.items.get(recordingId)?.recording.tenantId === tenantId) this.items.delete(recordingId);
  }

  /** Everything saved, oldest first. */
  get recordings(): readonly Recording[] {
    return [...this.items.values()].map((item) => item.recording);
  }
}
