import type {
  Audio,
  BlobStore,
  Clock,
  IdGenerator,
  Recording,
  RecordingCatalog,
  RecordingKind,
  RecordingStore,
} from "@switchboard/core";
import { SAMPLE_RATE } from "@switchboard/core";
import { decodeWav, encodeWav } from "@switchboard/speech";

/**
 * Call recordings as WAV files (8 kHz, 16-bit) in a blob store, under the tenant's folder, so a recording
 * can be played back on a call, downloaded through the API, and opened by any audio player; what each one
 * is goes in the recording catalog (listed, and expired by retention).
 */
export class BlobRecordingStore implements RecordingStore {
  constructor(
    private readonly blobs: BlobStore,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly catalog?: Pick<RecordingCatalog, "addRecording" | "deleteRecording">,
  ) {}

  async save(input: {
    readonly tenantId: string;
    readonly audio: Audio;
    readonly callId?: string;
    readonly kind?: RecordingKind;
  }): Promise<Recording> {
    const id = this.ids.next();
    await this.blobs.put(key(input.tenantId, id), encodeWav(input.audio));
    const recording: Recording = {
      id,
      tenantId: input.tenantId,
      kind: input.kind ?? "message",
      ...(input.callId ? { callId: input.callId } : {}),
      durationMs: Math.round((input.audio.length / SAMPLE_RATE) * 1000),
      createdAt: this.clock.now(),
    };
    // The file first: a catalog row always has its audio (a crash in between leaves an unlisted file).
    await this.catalog?.addRecording(recording);
    return recording;
  }

  async audio(tenantId: string, recordingId: string): Promise<Audio | undefined> {
    const bytes = await this.wav(tenantId, recordingId);
    return bytes ? decodeWav(bytes) : undefined;
  }

  /** The recording as stored: a WAV file, or undefined when the tenant has no such recording. */
  wav(tenantId: string, recordingId: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(key(tenantId, recordingId));
  }

  /** Removes the recording's file and its catalog row (a deleted voicemail message's); nothing happens when there is none. */
  async delete(tenantId: string, recordingId: string): Promise<void> {
    await this.catalog?.deleteRecording(tenantId, recordingId);
    await this.blobs.delete(key(tenantId, recordingId));
  }
}

const key = (tenantId: string, recordingId: string) => `${tenantId}/${recordingId}`;
