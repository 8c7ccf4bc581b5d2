import type { Message, QuickReply } from "@switchboard/protocol";
import { type ChatState, CLIENT_KEY, type PendingMessage } from "./state.js";

/** What the message list shows, in order: confirmed messages and notices by sequence, then own messages on their way. */
export type TimelineItem =
  | {
      readonly kind: "message";
      readonly key: string;
      readonly message: Message;
      readonly own: boolean;
      /** First of a run from the same sender: shows the sender's name and avatar. */
      readonly groupStart: boolean;
      /** Last of a run: shows the time (and, for own messages, the delivery state). */
      readonly groupEnd: boolean;
      /** For own messages: "Read" on the last one the other side has read, "Sent" on the very last one otherwise. */
      readonly receipt: "sent" | "read" | undefined;
    }
  | { readonly kind: "pending"; readonly key: string; readonly pending: PendingMessage; readonly groupStart: boolean }
  | { readonly kind: "notice"; readonly key: string; readonly text: string };

/** Messages further apart than this start a new run even from the same sender. */
const GROUP_GAP_MS = 5 * 60_000;

export function timeline(state: ChatState): TimelineItem[] {
  const own = (m: Message) => m.senderId === state.selfId;
  const ownMessages = state.messages.filter(own);
  const lastOwn = ownMessages[ownMessages.length - 1];
  const lastRead = ownMessages.filter((m) => m.sequence <= state.othersReadUpTo).pop();

  type Entry = { sequence: number; message?: Message; notice?: { key: string; text: string } };
  const entries: Entry[] = [
    ...state.messages.map((message) => ({ sequence: message.sequence, message })),
    ...state.notices.map((n) => ({ sequence: n.sequence, notice: n })),
  ].sort((a, b) => a.sequence - b.sequence);

  const items: TimelineItem[] = [];
  const sameRun = (a: Message | undefined, b: Message | undefined) =>
    a !== undefined &&
    b !== undefined &&
    a.senderId === b.senderId &&
    Math.abs(Date.parse(b.createdAt) - Date.parse(a.createdAt)) <= GROUP_GAP_MS;

  entries.forEach((entry, i) => {
    if (entry.notice) {
      items.push({ kind: "notice", key: entry.notice.key, text: entry.notice.text });
      return;
    }
    const message = entry.message as Message;
    const previous = entries[i - 1]?.message;
    const next = entries[i + 1]?.message;
    const followedByPending = i === entries.length - 1 && own(message) && state.pending.length > 0;
    const isOwn = own(message);
    items.push({
      kind: "message",
      // Own messages keep their send's key, so the bubble shown while sending is the one confirmed.
      key: (isOwn ? message.metadata[CLIENT_KEY] : undefined) ?? message.id,
      message,
      own: isOwn,
      groupStart: !sameRun(previous, message),
      groupEnd: !sameRun(message, next) && !followedByPending,
      receipt: !isOwn
        ? undefined
        : message === lastRead
          ? "read"
          : message === lastOwn && !followedByPending
            ? "sent"
            : undefined,
    });
  });

  const lastConfirmed = entries[entries.length - 1]?.message;
  state.pending.forEach((pending, i) => {
    const startsRun = i === 0 && !(lastConfirmed && own(lastConfirmed));
    items.push({ kind: "pending", key: pending.key, pending, groupStart: startsRun });
  });
  return items;
}

/**
 * The quick replies to offer: those of the latest message when it comes from the other side. Once the
 * customer answers (or sends anything), they are gone: choices belong to the question just asked.
 */
export function currentQuickReplies(state: ChatState): readonly QuickReply[] {
  if (state.pending.length > 0) return [];
  const last = state.messages[state.messages.length - 1];
  if (!last || last.senderId === state.selfId || last.deletedAt) return [];
  return last.quickReplies;
}

/** "Sam is typing", "Sam and Bot are typing". */
export function typingText(state: ChatState): string | undefined {
  const names = state.typing.map((t) => t.displayName || "Someone");
  if (names.length === 0) return undefined;
  if (names.length === 1) return `${names[0]} is typing`;
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} are typing`;
}
