import type { RecordingStore } from "../calls/media.js";
import type { SpeechTranscriber, Transcript } from "../calls/recognition.js";
import { DomainError } from "../kernel/domain-error.js";
import type { VoicemailMessage } from "./model.js";
import type { FlowTimers, VoicemailStore } from "./ports.js";

/** Transcription of voicemail messages; without it (no speech recognition installed) messages keep no transcript. */
export interface VoicemailTranscription {
  readonly transcriber: SpeechTranscriber;
  /** Where the message's audio is read back. */
  readonly recordings: Pick<RecordingStore, "audio">;
  /** The longest wait for a transcript before the message's notification goes without one (default 5 minutes). */
  readonly timeoutMs?: number;
  /** A transcription failed or took too long (the message keeps no transcript), or a notification failed: for the log. */
  readonly onError?: (error: unknown, message: VoicemailMessage) => void;
}

/** Five minutes: a transcript is worth a short wait for the email, not a lost one. */
export const DEFAULT_TRANSCRIPTION_TIMEOUT_MS = 300_000;

/**
 * Transcribes a message just left and keeps the transcript with it. Answers the message as it now is:
 * without a transcript when the transcriber heard no words, failed or took too long (each reported to
 * `onError`), or undefined when the message was deleted meanwhile. Never throws: a message without a
 * transcript is still a message.
 */
export async function transcribeVoicemailMessage(
  deps: {
    readonly voicemail: Pick<VoicemailStore, "setTranscript">;
    readonly timers: FlowTimers;
    readonly transcription: VoicemailTranscription;
  },
  message: VoicemailMessage,
): Promise<VoicemailMessage | undefined> {
  const { transcriber, recordings, onError } = deps.transcription;
  const timeoutMs = deps.transcription.timeoutMs ?? DEFAULT_TRANSCRIPTION_TIMEOUT_MS;
  const deadline = deps.timers.sleep(timeoutMs);
  let transcript: Transcript | undefined;
  try {
    const heard = (async () => {
      const audio = await recordings.audio(message.tenantId, message.recordingId);
      return audio ? transcriber.transcribe(audio) : undefined;
    })();
    heard.catch(() => {}); // a failure after the deadline has nobody to tell
    const late = deadline.done.then((): never => {
      throw new DomainError(
        "voicemail.transcription_timed_out",
        "unavailable",
        `The voicemail message was not transcribed within ${Math.round(timeoutMs / 1000)} s.`,
      );
    });
    transcript = await Promise.race([heard, late]);
  } catch (error) {
    onError?.(error, message);
    return message;
  } finally {
    deadline.cancel();
  }
  const text = transcript?.text.trim();
  if (!text) return message;
  try {
    return await deps.voicemail.setTranscript(message.tenantId, message.id, text);
  } catch (error) {
    // Not kept, but heard: the notification still carries it.
    onError?.(error, message);
    return { ...message, transcript: text };
  }
}
