import type { Audio, Recording, RecordingStore } from "../calls/media.js";
import { SAMPLE_RATE } from "../calls/media.js";
import { requireAdmin } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import { DomainError } from "../kernel/domain-error.js";

/** The longest audio an admin may upload for a greeting, an announcement or hold music. */
export const MAX_UPLOADED_AUDIO_SECONDS = 600;

/**
 * Keeps audio an admin uploaded (a greeting, an announcement, hold music), already decoded to telephone
 * audio, as a recording of the tenant: flows name it as `{kind: "recording", recordingId}`.
 */
export async function uploadRecording(
  recordings: Pick<RecordingStore, "save">,
  principal: Principal,
  audio: Audio,
): Promise<Recording> {
  const { tenantId } = requireAdmin(principal);
  if (audio.length === 0) throw new DomainError("recording.empty", "invalid", "The audio file holds no sound.");
  if (audio.length > MAX_UPLOADED_AUDIO_SECONDS * SAMPLE_RATE) {
    throw new DomainError(
      "recording.too_long",
      "invalid",
      `Uploaded audio lasts ${MAX_UPLOADED_AUDIO_SECONDS / 60} minutes at most; this lasts ${Math.round(audio.length / SAMPLE_RATE)} s.`,
    );
  }
  return recordings.save({ tenantId, audio, kind: "upload" });
}
