import type { Message, Participant, ThreadEvent } from "@switchboard/protocol";

/** A message this agent is sending: on screen at once, replaced by the stored one when it is back. */
export interface PendingMessage {
  /** The idempotency key: a retry sends the same one, so the server never stores it twice. */
  readonly key: string;
  readonly content: string;
  readonly at: string;
  readonly failed: boolean;
}

/** One chat thread as the desk sees it: what was said, who is typing, who has read what. */
export interface ThreadState {
  readonly threadId: string;
  /** Stored messages by sequence, each once. */
  readonly messages: readonly Message[];
  readonly pending: readonly PendingMessage[];
  /** The history has been read over REST (live events may have come first). */
  readonly loaded: boolean;
  /** Read marks of the other participants, by identity. */
  readonly readBy: Readonly<Record<string, number>>;
  /** Up to where this agent has read. */
  readonly myRead: number;
  /** Who is typing, until when (epoch ms). */
  readonly typing: Readonly<Record<string, { readonly name: string; readonly until: number }>>;
}

export type ThreadAction =
  | { readonly type: "history"; readonly messages: readonly Message[]; readonly participants?: readonly Participant[] }
  | { readonly type: "event"; readonly event: ThreadEvent; readonly now: number }
  | { readonly type: "sending"; readonly key: string; readonly content: string; readonly at: string }
  | { readonly type: "sent"; readonly key: string; readonly message: Message }
  | { readonly type: "send_failed"; readonly key: string }
  | { readonly type: "retrying"; readonly key: string }
  | { readonly type: "discard"; readonly key: string }
  | { readonly type: "read"; readonly sequence: number }
  | { readonly type: "tick"; readonly now: number };

/** How long a typing indicator lasts without a new typing event (clients repeat it every few seconds). */
export const TYPING_MS = 6000;

export const emptyThread = (threadId: string): ThreadState => ({
  threadId,
  messages: [],
  pending: [],
  loaded: false,
  readBy: {},
  myRead: 0,
  typing: {},
});

/** `me` is the agent's identity id: their own read mark comes from the participants, not from others'. */
export function threadReducer(state: ThreadState, action: ThreadAction, me: string): ThreadState {
  switch (action.type) {
    case "history": {
      let readBy = state.readBy;
      let myRead = state.myRead;
      for (const p of action.participants ?? []) {
        if (p.id === me) myRead = Math.max(myRead, p.lastReadSequence);
        else if (p.lastReadSequence > (readBy[p.id] ?? 0)) readBy = { ...readBy, [p.id]: p.lastReadSequence };
      }
      return { ...state, messages: merge(state.messages, action.messages), loaded: true, readBy, myRead };
    }
    case "event":
      return onEvent(state, action.event, action.now, me);
    case "sending":
      return {
        ...state,
        pending: [...state.pending, { key: action.key, content: action.content, at: action.at, failed: false }],
      };
    case "sent":
      return {
        ...state,
        messages: merge(state.messages, [action.message]),
        pending: state.pending.filter((p) => p.key !== action.key),
        // What one writes, one has read.
        myRead: Math.max(state.myRead, action.message.sequence),
      };
    case "send_failed":
    case "retrying":
      return {
        ...state,
        pending: state.pending.map((p) => (p.key === action.key ? { ...p, failed: action.type === "send_failed" } : p)),
      };
    case "discard":
      return { ...state, pending: state.pending.filter((p) => p.key !== action.key) };
    case "read":
      return action.sequence > state.myRead ? { ...state, myRead: action.sequence } : state;
    case "tick": {
      const typing = Object.fromEntries(Object.entries(state.typing).filter(([, t]) => t.until > action.now));
      return Object.keys(typing).length === Object.keys(state.typing).length ? state : { ...state, typing };
    }
  }
}

function onEvent(state: ThreadState, event: ThreadEvent, now: number, me: string): ThreadState {
  switch (event.type) {
    case "chat.message.received": {
      const { message } = event.data;
      const { [message.senderId]: _stopped, ...typing } = state.typing;
      const mine = message.senderId === me;
      return {
        ...state,
        messages: merge(state.messages, [message]),
        typing,
        myRead: mine ? Math.max(state.myRead, message.sequence) : state.myRead,
      };
    }
    case "chat.message.edited":
      return { ...state, messages: merge(state.messages, [event.data.message]) };
    case "chat.message.deleted": {
      const { messageId, deletedAt } = event.data;
      return {
        ...state,
        messages: state.messages.map((m) => (m.id === messageId ? { ...m, content: "", attachments: [], deletedAt } : m)),
      };
    }
    case "chat.read": {
      const { identityId, readUpTo } = event.data;
      if (identityId === me) return readUpTo > state.myRead ? { ...state, myRead: readUpTo } : state;
      if (readUpTo <= (state.readBy[identityId] ?? 0)) return state;
      return { ...state, readBy: { ...state.readBy, [identityId]: readUpTo } };
    }
    case "chat.typing": {
      const { identityId, displayName } = event.data;
      if (identityId === me) return state;
      return { ...state, typing: { ...state.typing, [identityId]: { name: displayName, until: now + TYPING_MS } } };
    }
    default:
      return state;
  }
}

/** Adds or replaces messages by id, kept in sequence order. */
function merge(existing: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return [...existing];
  const byId = new Map(existing.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.sequence - b.sequence);
}

/** Messages from others this agent has not read yet. */
export function unreadCount(state: ThreadState, me: string): number {
  return state.messages.filter((m) => m.sequence > state.myRead && m.senderId !== me && !m.deletedAt).length;
}

/** The highest stored message sequence: what "read up to here" names. */
export const lastMessageSequence = (state: ThreadState): number => state.messages.at(-1)?.sequence ?? 0;

/** The names of those typing right now, other than `me`. */
export function typingNames(state: ThreadState, now: number): string[] {
  return Object.values(state.typing)
    .filter((t) => t.until > now)
    .map((t) => t.name);
}

/** Whether `identityId` has read the message at `sequence`. */
export const isReadBy = (state: ThreadState, identityId: string, sequence: number): boolean =>
  (state.readBy[identityId] ?? 0) >= sequence;

/** The last message for a list's preview line. */
export function preview(state: ThreadState): { text: string; at: string; senderId: string } | undefined {
  const pending = state.pending.at(-1);
  if (pending) return { text: pending.content, at: pending.at, senderId: "" };
  const last = state.messages.at(-1);
  if (!last) return undefined;
  const text = last.deletedAt
    ? "Message deleted"
    : last.content ||
      (last.card ? last.card.title : last.attachments.length > 0 ? `📎 ${last.attachments[0]?.fileName ?? "Attachment"}` : "");
  return { text, at: last.createdAt, senderId: last.senderId };
}
