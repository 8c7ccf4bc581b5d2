import type { ConversationEvent } from "@switchboard/protocol";

/** The note of the last transfer with one, for the agent who took the conversation over. */
export function latestTransferNote(events: readonly ConversationEvent[]): { note: string; at: string } | undefined {
  const last = events.findLast((e) => e.type === "conversation.transferred");
  const note = last?.data.note;
  return last && typeof note === "string" && note.trim() !== "" ? { note: note.trim(), at: last.createdAt } : undefined;
}
