import type { Prompt } from "../calls/media.js";

const say = (text: string): Extract<Prompt, { kind: "speech" }> => ({ kind: "speech", text });

/** What the flow engine says on its own (menus and greetings are the admin's). */
export const FLOW_PROMPTS = {
  notHeard: say("Sorry, I did not get that."),
  notAnOption: say("Sorry, that is not an option."),
  goodbye: say("Goodbye."),
  cannotConnect: say("Sorry, we cannot connect your call right now. Please try again later. Goodbye."),
  transferring: say("Please hold while I transfer your call."),
  enterExtension: say("Please enter the extension, then press pound."),
  noSuchExtension: say("Sorry, there is no one at that extension."),
  spellName: say("Please spell the first few letters of the person's first or last name, then press pound."),
  sayOrSpellName: say(
    "Please say the person's name, or spell the first few letters of their first or last name, then press pound.",
  ),
  noNameMatch: say("Sorry, no one's name matches."),
  tooManyMatches: say("More than nine names match. Please enter more letters."),
  personUnavailable: say("The person you are calling is not available."),
  numberUnavailable: say("Sorry, the call could not be completed."),
  leaveMessage: say("Please leave a message after the tone. Press pound when you are done."),
  messageSaved: say("Your message has been saved. Thank you. Goodbye."),
  noMessageLeft: say("No message was recorded. Goodbye."),
  mailboxLogin: say("Please enter your extension, then press pound."),
  mailboxPin: say("Please enter your PIN, then press pound."),
  mailboxLoginFailed: say("Sorry, that extension and PIN do not match."),
  noMessages: say("You have no messages."),
  messageMenu: say("Press 1 to hear it again, 7 to delete it, or 2 for the next message."),
  messageDeleted: say("Message deleted."),
  noMoreMessages: say("That was your last message. Goodbye."),
  callBeingRecorded: say("This call may be recorded for quality and training purposes."),
} as const;

/** "You are caller number 3. The expected wait is about 2 minutes." as the settings ask. */
export function waitAnnouncement(position: number | null, expectedWaitSeconds: number | null, voice?: string): Prompt[] {
  const parts: string[] = [];
  if (position !== null) parts.push(position === 1 ? "You are next in line." : `You are number ${position} in line.`);
  if (expectedWaitSeconds !== null) {
    const minutes = Math.max(1, Math.round(expectedWaitSeconds / 60));
    parts.push(
      expectedWaitSeconds < 60
        ? "The expected wait is less than a minute."
        : `The expected wait is about ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`,
    );
  }
  if (parts.length === 0) parts.push("Thank you for waiting. Please stay on the line.");
  return [{ kind: "speech", text: parts.join(" "), ...(voice ? { voice } : {}) }];
}

/** "You have 2 new messages and 1 saved message." */
export function messageCount(newCount: number, savedCount: number): Prompt {
  const part = (n: number, kind: string) => `${n} ${kind} ${n === 1 ? "message" : "messages"}`;
  const text =
    savedCount === 0
      ? `You have ${part(newCount, "new")}.`
      : `You have ${part(newCount, "new")} and ${part(savedCount, "saved")}.`;
  return say(text);
}
