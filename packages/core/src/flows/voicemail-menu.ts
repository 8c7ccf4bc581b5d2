import { hasEnded, type Prompt } from "../calls/media.js";
import { ask } from "./caller-input.js";
import type { Mailbox, VoicemailMessage } from "./model.js";
import { FLOW_PROMPTS, messageCount } from "./prompts.js";
import type { StepContext } from "./step-context.js";
import { personalMailbox } from "./voicemail-step.js";

const ALL_KEYS = "0123456789*#";

/** The mailbox menu by phone: extension and PIN, then each message (new first) with replay, delete, next. */
export async function voicemailMenu(step: StepContext): Promise<void> {
  const { leg, deps, context } = step;
  const mailbox = await logIn(step);
  if (!mailbox) {
    if (!(await hasEnded(leg))) {
      await leg.play([FLOW_PROMPTS.mailboxLoginFailed, FLOW_PROMPTS.goodbye]);
      await leg.hangup("voicemail login failed");
    }
    return;
  }
  const messages = await deps.voicemail.listMessages(context.tenantId, mailbox.id);
  const fresh = messages.filter((m) => !m.heard);
  const ordered = [...fresh, ...messages.filter((m) => m.heard)];
  const intro = await leg.play([messageCount(fresh.length, messages.length - fresh.length)]);
  if (intro.ended === "hung-up") return;
  for (const [index, message] of ordered.entries()) {
    if ((await playMessage(step, message, index)) === "hung-up") return;
  }
  await leg.play([ordered.length === 0 ? FLOW_PROMPTS.noMessages : FLOW_PROMPTS.noMoreMessages]);
  await leg.hangup("voicemail menu ended");
}

/** Up to three tries of extension and PIN; the owner's personal mailbox when they match. */
async function logIn(step: StepContext): Promise<Mailbox | undefined> {
  const { leg, deps, context } = step;
  for (let attempt = 0; attempt < 3; attempt++) {
    const extension = await ask(leg, FLOW_PROMPTS.mailboxLogin, 8);
    if (extension === undefined) return undefined;
    const pin = await ask(leg, FLOW_PROMPTS.mailboxPin, 12);
    if (pin === undefined) return undefined;
    const mailbox = await personalMailbox(step, await deps.directory.find(context.tenantId, extension));
    if (mailbox?.pinHash && pin !== "" && (await deps.pins.verify(pin, mailbox.pinHash))) return mailbox;
    const said = await leg.play([FLOW_PROMPTS.mailboxLoginFailed]);
    if (said.ended === "hung-up") return undefined;
  }
  return undefined;
}

/** One message, then its menu: 1 hears it again (three times at most), 7 deletes it, anything else is the next one. */
async function playMessage(step: StepContext, message: VoicemailMessage, index: number): Promise<"next" | "hung-up"> {
  const { leg, deps, context } = step;
  for (let replay = 0; replay < 3; replay++) {
    const header: Prompt[] = [
      { kind: "speech", text: `Message ${index + 1}, from` },
      { kind: "digits", digits: message.caller.replace(/[^0-9*#]/g, "") || "0" },
      { kind: "recording", recordingId: message.recordingId },
    ];
    // Heard once it starts playing: a caller who hangs up halfway has heard it.
    if (!message.heard && replay === 0) await deps.voicemail.updateMessage({ ...message, heard: true });
    const heard = await leg.play([...header, FLOW_PROMPTS.messageMenu], { interruptKeys: ALL_KEYS });
    if (heard.ended === "hung-up") return "hung-up";
    const pressed = await leg.collect({ maxDigits: 1, terminators: "", firstKeyTimeoutMs: 6_000 });
    if (pressed.ended === "hung-up") return "hung-up";
    if (pressed.digits === "1") continue;
    if (pressed.digits === "7") {
      // The row first, then its audio (as the API deletes): a failure leaves a file, never a message without one.
      if (await deps.voicemail.deleteMessage(context.tenantId, message.id)) {
        await deps.recordings?.delete(context.tenantId, message.recordingId).catch(() => undefined);
      }
      await leg.play([FLOW_PROMPTS.messageDeleted]);
    }
    return "next";
  }
  return "next";
}
