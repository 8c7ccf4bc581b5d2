import { hasEnded, type Prompt } from "../calls/media.js";
import type { Mailbox, VoicemailMessage } from "./model.js";
import type { DirectoryEntry } from "./ports.js";
import { FLOW_PROMPTS } from "./prompts.js";
import type { StepContext } from "./step-context.js";
import { transcribeVoicemailMessage, type VoicemailTranscription } from "./voicemail-transcription.js";

type DepositResult = "message_left" | "no_message" | "caller_hung_up";

/** The mailbox's greeting, a beep, the message (kept even when the caller hangs up to end it). */
export async function depositVoicemail(step: StepContext, mailboxId: string): Promise<null> {
  const { leg, deps, context } = step;
  const mailbox = await deps.voicemail.getMailbox(context.tenantId, mailboxId);
  if (!mailbox) return step.giveUp();
  const report = (result: DepositResult, messageId: string | null) =>
    step.report({ kind: "voicemail", mailboxId, result, messageId });
  const greeted = await leg.play([greetingOf(mailbox)], { interruptKeys: "#" });
  if (greeted.ended === "hung-up") {
    report("caller_hung_up", null);
    return null;
  }
  leg.flushKeys();
  const recorded = await leg.record({
    beep: true,
    maxDurationMs: mailbox.maxMessageSeconds * 1000,
    silenceTimeoutMs: 5_000,
    stopKeys: "#",
  });
  if (!recorded.recording) {
    report(recorded.ended === "hung-up" ? "caller_hung_up" : "no_message", null);
    if (recorded.ended !== "hung-up") {
      await leg.play([FLOW_PROMPTS.noMessageLeft]);
      await leg.hangup("no message");
    }
    return null;
  }
  const message = await deps.voicemail.addMessage({
    id: deps.ids.next(),
    tenantId: context.tenantId,
    mailboxId,
    callId: context.callId,
    caller: context.caller,
    recordingId: recorded.recording.id,
    durationMs: recorded.durationMs,
    transcript: null,
    heard: false,
    createdAt: deps.clock.now(),
  });
  report("message_left", message.id);
  await notify(step, message, mailbox);
  return null;
}

/** The personal mailbox of the user behind a directory entry, if they have one. */
export async function personalMailbox(step: StepContext, entry: DirectoryEntry | undefined): Promise<Mailbox | undefined> {
  return entry?.userId ? await step.deps.voicemail.findMailboxByOwner(step.context.tenantId, entry.userId) : undefined;
}

function greetingOf(mailbox: Mailbox): Prompt {
  return (
    mailbox.greeting ?? {
      kind: "speech",
      text: `You have reached the voicemail of ${mailbox.name}. ${FLOW_PROMPTS.leaveMessage.text}`,
    }
  );
}

/** The message is saved: its notification goes out (after its transcript), and the caller hears goodbye. */
async function notify(step: StepContext, message: VoicemailMessage, mailbox: Mailbox): Promise<void> {
  const { leg, deps } = step;
  // Transcribing takes a fraction of the message's length: the caller hears the goodbye meanwhile.
  if (deps.transcription) void transcribeThenNotify(step, message, mailbox, deps.transcription);
  else deps.onVoicemail?.(message, mailbox);
  if (!(await hasEnded(leg))) {
    await leg.play([FLOW_PROMPTS.messageSaved]);
    await leg.hangup("message left");
  }
}

/** After the call: the message's transcript, then one notification that carries it (unless the message was deleted). */
async function transcribeThenNotify(
  step: StepContext,
  message: VoicemailMessage,
  mailbox: Mailbox,
  transcription: VoicemailTranscription,
): Promise<void> {
  const { deps } = step;
  const left = await transcribeVoicemailMessage({ voicemail: deps.voicemail, timers: deps.timers, transcription }, message);
  try {
    if (left) deps.onVoicemail?.(left, mailbox);
  } catch (error) {
    transcription.onError?.(error, message);
  }
}
