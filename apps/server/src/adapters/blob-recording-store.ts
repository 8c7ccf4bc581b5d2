import type { Audio, BlobStore, Clock, IdGenerator, Recording, RecordingStore } from "@switchboard/core";
import { SAMPLE_RATE } from "@switchboard/core";
import { decodeWav, encodeWav } from "@switchboard/speech";

/**
 * Call recordings as WAV files (8 kHz, 16-bit) in a blob store, under the tenant's folder, so a recording
 * can be played back on a call, downloaded through the API, and opened by any audio player.
 */
export class BlobRecordingStore implements RecordingStore {
  constructor(
    private readonly blobs: BlobStore,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async save(recording: { readonly tenantId: string; readonly audio: Audio; readonly callId?: string }): Promise<Recording> {
    const id = this.ids.next();
    await this.blobs.put(key(recording.tenantId, id), encodeWav(recording.audio));
    return {
      id,
      tenantId: recording.tenantId,
      ...(recording.callId ? { callId: recording.callId } : {}),
      durationMs: Math.round((recording.audio.length / SAMPLE_RATE) * 1000),
      createdAt: this.clock.now(),
    };
  }

  async audio(tenantId: string, recordingId: string): Promise<Audio | undefined> {
    const bytes = await this.wav(tenantId, recordingId);
    return bytes ? decodeWav(bytes) : undefined;
  }

  /** The recording as stored: a WAV file, or undefined when the tenant has no such recording. */
  wav(tenantId: string, recordingId: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(key(tenantId, recordingId));
  }

  /** Removes the recording's file (a deleted voicemail message's); nothing happens when there is none. */
  delete(tenantId: string, recordingId: string): Promise<void> {
    return this.blobs.delete(key(tenantId, recordingId));
  }
}

const key = (tenantId: string, recordingId: string) => `${tenantId}/${recordingId}`;
