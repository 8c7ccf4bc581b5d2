import type { OutgoingEmail } from "../verification/ports.js";
import type { Mailbox, VoicemailMessage } from "./model.js";

/**
 * The emails that tell a mailbox's recipients of a new message: who called, when (in UTC, as the
 * message's time zone is the reader's), how long, and where to listen (the admin console, or the
 * voicemail menu by phone).
 */
export function voicemailEmails(
  message: VoicemailMessage,
  mailbox: Mailbox,
  options: { readonly companyName: string; readonly listenUrl?: string },
): OutgoingEmail[] {
  const seconds = Math.max(1, Math.round(message.durationMs / 1000));
  const when = message.createdAt.toISOString().replace("T", " ").slice(0, 16);
  const text = [
    `New voicemail in ${mailbox.name} (${options.companyName})`,
    "",
    `From: ${message.caller}`,
    `Received: ${when} UTC`,
    `Length: ${seconds} s`,
    ...(message.transcript ? ["", `"${message.transcript}"`] : []),
    "",
    options.listenUrl ? `Listen: ${options.listenUrl}` : "Listen in the admin console, or by phone from the voicemail menu.",
  ].join("\n");
  return mailbox.notifyEmails.map((to) => ({ to, subject: `Voicemail from ${message.caller} (${seconds} s)`, text }));
}
