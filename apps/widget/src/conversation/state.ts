import type { Message, Participant, ThreadEvent } from "@switchboard/protocol";

/**
 * The chat as the customer sees it, built from history pages, live events and the customer's own sends,
 * which arrive in any order and more than once. A pure reducer: every rule here is unit tested.
 */

/**
 * The metadata key carrying a send's idempotency key, so the widget recognizes its own message when the
 * real-time echo or a history page brings it before the send's answer does.
 */
export const CLIENT_KEY = "idempotencyKey";

/** How long "… is typing" stays after the last typing signal (senders repeat it every 3 s while typing). */
export const TYPING_TTL_MS = 6000;

/** A file of an own message not yet confirmed by the server (the File itself stays with the controller). */
export interface LocalFile {
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  /** An object URL, for image thumbnails before the upload is done. */
  readonly previewUrl?: string | undefined;
}

/** An own message on its way: shown at once, confirmed by the server's answer or its echo. */
export interface PendingMessage {
  readonly key: string;
  readonly content: string;
  readonly files: readonly LocalFile[];
  readonly createdAt: string;
  readonly status: "sending" | "failed";
  /** Why it failed, for people. */
  readonly error?: string | undefined;
}

export interface TypingPerson {
  readonly identityId: string;
  readonly displayName: string;
  readonly until: number;
}

export interface Notice {
  readonly key: string;
  readonly sequence: number;
  readonly text: string;
}

export interface ChatState {
  readonly selfId: string;
  readonly threadId: string;
  /** Confirmed messages, by sequence, each id once. */
  readonly messages: readonly Message[];
  readonly pending: readonly PendingMessage[];
  /** "Sam joined the chat": participant changes after the chat started. */
  readonly notices: readonly Notice[];
  /** Display names of the other participants, by identity id. */
  readonly others: Readonly<Record<string, string>>;
  /** The highest sequence another participant has read. */
  readonly othersReadUpTo: number;
  /** The highest sequence the customer has read (in any tab). */
  readonly selfReadUpTo: number;
  readonly typing: readonly TypingPerson[];
}

export type ChatAction =
  | { readonly type: "history"; readonly messages: readonly Message[] }
  | { readonly type: "participants"; readonly participants: readonly Participant[] }
  | { readonly type: "event"; readonly event: ThreadEvent; readonly now: number }
  | {
      readonly type: "send";
      readonly key: string;
      readonly content: string;
      readonly files: readonly LocalFile[];
      readonly createdAt: string;
    }
  | { readonly type: "sent"; readonly key: string; readonly message: Message }
  | { readonly type: "sendFailed"; readonly key: string; readonly error: string }
  | { readonly type: "retry"; readonly key: string }
  | { readonly type: "discard"; readonly key: string }
  | { readonly type: "markedRead"; readonly sequence: number }
  | { readonly type: "tick"; readonly now: number };

export function initialChatState(selfId: string, threadId: string): ChatState {
  return {
    selfId,
    threadId,
    messages: [],
    pending: [],
    notices: [],
    others: {},
    othersReadUpTo: 0,
    selfReadUpTo: 0,
    typing: [],
  };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "history":
      return action.messages.reduce(upsertMessage, state);
    case "participants":
      return applyParticipants(state, action.participants);
    case "event":
      return action.event.threadId === state.threadId ? applyEvent(state, action.event, action.now) : state;
    case "send":
      if (state.pending.some((p) => p.key === action.key)) return state;
      return {
        ...state,
        pending: [
          ...state.pending,
          { key: action.key, content: action.content, files: action.files, createdAt: action.createdAt, status: "sending" },
        ],
      };
    case "sent":
      return upsertMessage(withoutPending(state, action.key), action.message);
    case "sendFailed":
      return mapPending(state, action.key, (p) => ({ ...p, status: "failed", error: action.error }));
    case "retry":
      return mapPending(state, action.key, (p) => ({ ...p, status: "sending", error: undefined }));
    case "discard":
      return withoutPending(state, action.key);
    case "markedRead":
      return action.sequence > state.selfReadUpTo ? { ...state, selfReadUpTo: action.sequence } : state;
    case "tick": {
      const typing = state.typing.filter((t) => t.until > action.now);
      return typing.length === state.typing.length ? state : { ...state, typing };
    }
  }
}

function applyEvent(state: ChatState, event: ThreadEvent, now: number): ChatState {
  switch (event.type) {
    case "chat.message.received":
    case "chat.message.edited": {
      const message = event.data.message;
      const next = upsertMessage(state, message);
      // Their message is here: they have stopped typing it.
      return next.typing.some((t) => t.identityId === message.senderId)
        ? { ...next, typing: next.typing.filter((t) => t.identityId !== message.senderId) }
        : next;
    }
    case "chat.message.deleted": {
      const { messageId, deletedAt } = event.data;
      const index = state.messages.findIndex((m) => m.id === messageId);
      const existing = state.messages[index];
      if (!existing || existing.deletedAt) return state;
      const messages = [...state.messages];
      messages[index] = { ...existing, content: "", attachments: [], quickReplies: [], card: null, deletedAt };
      return { ...state, messages };
    }
    case "chat.read": {
      const { identityId, readUpTo } = event.data;
      if (identityId === state.selfId) {
        return readUpTo > state.selfReadUpTo ? { ...state, selfReadUpTo: readUpTo } : state;
      }
      return readUpTo > state.othersReadUpTo ? { ...state, othersReadUpTo: readUpTo } : state;
    }
    case "chat.typing": {
      const { identityId, displayName } = event.data;
      if (identityId === state.selfId) return state;
      const typing = state.typing.filter((t) => t.identityId !== identityId);
      return { ...state, typing: [...typing, { identityId, displayName, until: now + TYPING_TTL_MS }] };
    }
    case "chat.participants.added":
    case "chat.participants.removed": {
      const added = event.type === "chat.participants.added";
      const others = { ...state.others };
      const people = event.data.participants.filter((p) => p.id !== state.selfId);
      for (const person of people) {
        if (added) others[person.id] = person.displayName;
        else delete others[person.id];
      }
      // The participants the thread was created with are no news; later arrivals (an agent) are.
      const chatStarted = state.messages.some((m) => m.sequence < event.sequence);
      const known = state.notices.some((n) => n.sequence === event.sequence);
      if (!chatStarted || known || people.length === 0) return { ...state, others };
      const names = people.map((p) => p.displayName).join(", ");
      const notice = {
        key: `notice-${event.sequence}`,
        sequence: event.sequence,
        text: `${names} ${added ? "joined" : "left"} the chat`,
      };
      return { ...state, others, notices: [...state.notices, notice].sort((a, b) => a.sequence - b.sequence) };
    }
    case "chat.thread.updated":
      return state;
  }
}

/** The participant list (on start): names, read marks, and who joined after the chat started (history has no events). */
function applyParticipants(state: ChatState, participants: readonly Participant[]): ChatState {
  const others: Record<string, string> = { ...state.others };
  let othersReadUpTo = state.othersReadUpTo;
  let selfReadUpTo = state.selfReadUpTo;
  const notices = [...state.notices];
  const firstMessage = state.messages[0]?.sequence;
  for (const p of participants) {
    if (p.id === state.selfId) {
      selfReadUpTo = Math.max(selfReadUpTo, p.lastReadSequence);
      continue;
    }
    others[p.id] = p.displayName;
    othersReadUpTo = Math.max(othersReadUpTo, p.lastReadSequence);
    if (firstMessage !== undefined && p.joinedSequence > firstMessage && !notices.some((n) => n.sequence === p.joinedSequence)) {
      notices.push({ key: `notice-${p.joinedSequence}`, sequence: p.joinedSequence, text: `${p.displayName} joined the chat` });
    }
  }
  notices.sort((a, b) => a.sequence - b.sequence);
  return { ...state, others, othersReadUpTo, selfReadUpTo, notices };
}

/** Which of two copies of a message is newer: a deletion is final, then the later edit wins. */
function newer(existing: Message, incoming: Message): Message {
  if (existing.deletedAt) return existing;
  if (incoming.deletedAt) return incoming;
  const editedAt = (m: Message) => (m.editedAt ? Date.parse(m.editedAt) : Number.NEGATIVE_INFINITY);
  return editedAt(incoming) >= editedAt(existing) ? incoming : existing;
}

function upsertMessage(state: ChatState, message: Message): ChatState {
  const key = message.senderId === state.selfId ? message.metadata[CLIENT_KEY] : undefined;
  const base = key !== undefined ? withoutPending(state, key) : state;
  const index = base.messages.findIndex((m) => m.id === message.id);
  const existing = base.messages[index];
  if (existing) {
    const winner = newer(existing, message);
    if (winner === existing) return base;
    const messages = [...base.messages];
    messages[index] = winner;
    return { ...base, messages };
  }
  // Usually the newest: search from the end for its place.
  let at = base.messages.length;
  while (at > 0 && (base.messages[at - 1]?.sequence ?? 0) > message.sequence) at--;
  const messages = [...base.messages];
  messages.splice(at, 0, message);
  return { ...base, messages };
}

function withoutPending(state: ChatState, key: string): ChatState {
  return state.pending.some((p) => p.key === key) ? { ...state, pending: state.pending.filter((p) => p.key !== key) } : state;
}

function mapPending(state: ChatState, key: string, change: (p: PendingMessage) => PendingMessage): ChatState {
  if (!state.pending.some((p) => p.key === key)) return state;
  return { ...state, pending: state.pending.map((p) => (p.key === key ? change(p) : p)) };
}

/** The highest sequence of a confirmed message: what marking the chat read sends. */
export const lastMessageSequence = (state: ChatState): number => state.messages[state.messages.length - 1]?.sequence ?? 0;

/** Messages from the other side the customer has not read yet (the launcher's badge). */
export const unreadCount = (state: ChatState): number =>
  state.messages.filter((m) => m.senderId !== state.selfId && m.sequence > state.selfReadUpTo && !m.deletedAt).length;
