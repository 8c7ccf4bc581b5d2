import type { Message, ThreadEvent } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import {
  type ChatAction,
  type ChatState,
  chatReducer,
  initialChatState,
  lastMessageSequence,
  TYPING_TTL_MS,
  unreadCount,
} from "./state.js";
import { currentQuickReplies, timeline, typingText } from "./timeline.js";

const ME = "idn_customer";
const BOT = "idn_bot";
const AGENT = "idn_agent";
const THREAD = "thr_1";

let clock = Date.parse("2025-03-12T10:00:00Z");
function message(sequence: number, over: Partial<Message> = {}): Message {
  return {
    id: `msg_${sequence}`,
    sequence,
    senderId: BOT,
    senderDisplayName: "Bot",
    content: `message ${sequence}`,
    metadata: {},
    createdAt: new Date(clock + sequence * 1000).toISOString(),
    editedAt: null,
    deletedAt: null,
    attachments: [],
    quickReplies: [],
    card: null,
    ...over,
  };
}

const event = <T extends ThreadEvent["type"]>(
  type: T,
  sequence: number,
  data: Extract<ThreadEvent, { type: T }>["data"],
  threadId = THREAD,
): ChatAction => ({
  type: "event",
  now: clock,
  event: { type, threadId, sequence, createdAt: new Date(clock).toISOString(), data } as ThreadEvent,
});

const run = (...actions: ChatAction[]): ChatState => actions.reduce(chatReducer, initialChatState(ME, THREAD));
const contents = (state: ChatState) => state.messages.map((m) => m.content);

describe("merging history and live events", () => {
  it("orders by sequence whatever the arrival order, each message once", () => {
    const state = run(
      event("chat.message.received", 5, { message: message(5) }),
      { type: "history", messages: [message(2), message(3)] },
      { type: "history", messages: [message(3), message(4), message(5)] },
      event("chat.message.received", 4, { message: message(4) }),
    );
    expect(state.messages.map((m) => m.sequence)).toEqual([2, 3, 4, 5]);
    expect(lastMessageSequence(state)).toBe(5);
  });

  it("ignores events of other threads (an earlier conversation of the same visitor)", () => {
    const state = run(event("chat.message.received", 1, { message: message(1) }, "thr_old"));
    expect(state.messages).toEqual([]);
  });

  it("applies an edit, and an older copy arriving later does not undo it", () => {
    const edited = message(2, { content: "fixed", editedAt: "2025-03-12T10:05:00.000Z" });
    const state = run(
      { type: "history", messages: [message(2)] },
      event("chat.message.edited", 7, { message: edited }),
      event("chat.message.received", 2, { message: message(2) }),
    );
    expect(contents(state)).toEqual(["fixed"]);
  });

  it("blanks a deleted message and never brings it back", () => {
    const state = run(
      { type: "history", messages: [message(2, { quickReplies: [{ label: "Yes", value: "yes" }] })] },
      event("chat.message.deleted", 3, { messageId: "msg_2", deletedAt: "2025-03-12T10:06:00.000Z" }),
      { type: "history", messages: [message(2)] },
      event("chat.message.edited", 4, { message: message(2, { content: "late edit", editedAt: "2025-03-12T10:07:00.000Z" }) }),
    );
    expect(state.messages[0]).toMatchObject({ content: "", deletedAt: "2025-03-12T10:06:00.000Z", quickReplies: [] });
    expect(run(event("chat.message.deleted", 3, { messageId: "msg_unknown", deletedAt: "x" })).messages).toEqual([]);
  });
});

describe("optimistic sends", () => {
  const send = (key: string, content = "hello"): ChatAction => ({
    type: "send",
    key,
    content,
    files: [],
    createdAt: "2025-03-12T10:01:00.000Z",
  });
  const mine = (sequence: number, key: string, content = "hello") =>
    message(sequence, { senderId: ME, senderDisplayName: "Visitor", content, metadata: { idempotencyKey: key } });

  it("shows a send at once, then replaces it with the server's message", () => {
    const sending = run(send("k1"));
    expect(sending.pending).toMatchObject([{ key: "k1", status: "sending", content: "hello" }]);
    const sent = chatReducer(sending, { type: "sent", key: "k1", message: mine(3, "k1") });
    expect(sent.pending).toEqual([]);
    expect(sent.messages.map((m) => m.id)).toEqual(["msg_3"]);
  });

  it("recognizes its own echo arriving before the send's answer, and the answer adds nothing", () => {
    const state = run(send("k1"), event("chat.message.received", 3, { message: mine(3, "k1") }), {
      type: "sent",
      key: "k1",
      message: mine(3, "k1"),
    });
    expect(state.pending).toEqual([]);
    expect(state.messages).toHaveLength(1);
  });

  it("recognizes its own message in a history page (sent from this browser before a reload)", () => {
    const state = run(send("k1"), { type: "history", messages: [message(2), mine(3, "k1")] });
    expect(state.pending).toEqual([]);
    expect(state.messages).toHaveLength(2);
  });

  it("keeps a failed send with its text and error, retries it, or discards it", () => {
    const failed = run(send("k1", "my long question"), { type: "sendFailed", key: "k1", error: "No connection" });
    expect(failed.pending).toMatchObject([{ key: "k1", status: "failed", content: "my long question", error: "No connection" }]);
    const retrying = chatReducer(failed, { type: "retry", key: "k1" });
    expect(retrying.pending).toMatchObject([{ status: "sending", error: undefined }]);
    expect(chatReducer(failed, { type: "discard", key: "k1" }).pending).toEqual([]);
  });

  it("ignores a late failure of a send the echo already confirmed", () => {
    const state = run(send("k1"), event("chat.message.received", 3, { message: mine(3, "k1") }), {
      type: "sendFailed",
      key: "k1",
      error: "timeout",
    });
    expect(state.pending).toEqual([]);
    expect(state.messages).toHaveLength(1);
  });

  it("does not add the same send twice", () => {
    expect(run(send("k1"), send("k1")).pending).toHaveLength(1);
  });

  it("does not take another participant's message for its own because of a metadata key", () => {
    const state = run(
      send("k1"),
      event("chat.message.received", 3, { message: message(3, { metadata: { idempotencyKey: "k1" } }) }),
    );
    expect(state.pending).toHaveLength(1);
  });
});

describe("read receipts and unread messages", () => {
  it("tracks what the others and the customer have read", () => {
    const state = run(
      {
        type: "participants",
        participants: [
          { id: ME, displayName: "Visitor", joinedSequence: 1, lastReadSequence: 2 },
          { id: BOT, displayName: "Bot", joinedSequence: 1, lastReadSequence: 0 },
        ],
      },
      { type: "history", messages: [message(2), message(3), message(4)] },
      event("chat.read", 5, { identityId: AGENT, readUpTo: 4 }),
      event("chat.read", 6, { identityId: BOT, readUpTo: 1 }),
    );
    expect(state.othersReadUpTo).toBe(4);
    expect(state.selfReadUpTo).toBe(2);
    expect(unreadCount(state)).toBe(2);
    const readElsewhere = chatReducer(state, event("chat.read", 7, { identityId: ME, readUpTo: 4 }));
    expect(unreadCount(readElsewhere)).toBe(0);
    expect(unreadCount(chatReducer(state, { type: "markedRead", sequence: 3 }))).toBe(1);
    expect(chatReducer(state, { type: "markedRead", sequence: 1 })).toBe(state);
  });

  it("does not count own or deleted messages as unread", () => {
    const state = run({
      type: "history",
      messages: [message(2, { senderId: ME }), message(3, { deletedAt: "2025-03-12T10:00:00.000Z", content: "" }), message(4)],
    });
    expect(unreadCount(state)).toBe(1);
  });
});

describe("typing and participants", () => {
  it("shows the others typing until the signal fades or their message arrives", () => {
    const typing = run(
      event("chat.typing", 3, { identityId: AGENT, displayName: "Sam" }),
      event("chat.typing", 3, { identityId: ME, displayName: "Visitor" }),
    );
    expect(typingText(typing)).toBe("Sam is typing");
    expect(typingText(chatReducer(typing, { type: "tick", now: clock + TYPING_TTL_MS - 1 }))).toBe("Sam is typing");
    expect(typingText(chatReducer(typing, { type: "tick", now: clock + TYPING_TTL_MS }))).toBeUndefined();
    const answered = chatReducer(typing, event("chat.message.received", 4, { message: message(4, { senderId: AGENT }) }));
    expect(answered.typing).toEqual([]);
    const two = chatReducer(typing, event("chat.typing", 3, { identityId: BOT, displayName: "Bot" }));
    expect(typingText(two)).toBe("Sam and Bot are typing");
  });

  it("announces participants who join after the chat started, once, but not those it started with", () => {
    const joined = event("chat.participants.added", 6, { participants: [{ id: AGENT, displayName: "Sam" }], addedBy: null });
    const state = run(
      event("chat.participants.added", 1, {
        participants: [
          { id: ME, displayName: "Visitor" },
          { id: BOT, displayName: "Bot" },
        ],
        addedBy: null,
      }),
      { type: "history", messages: [message(2), message(3)] },
      joined,
      joined,
    );
    expect(state.notices).toEqual([{ key: "notice-6", sequence: 6, text: "Sam joined the chat" }]);
    expect(state.others).toEqual({ [BOT]: "Bot", [AGENT]: "Sam" });
    const reloaded = run(
      { type: "history", messages: [message(2), message(3), message(7, { senderId: AGENT })] },
      {
        type: "participants",
        participants: [
          { id: ME, displayName: "Visitor", joinedSequence: 1, lastReadSequence: 0 },
          { id: BOT, displayName: "Bot", joinedSequence: 1, lastReadSequence: 0 },
          { id: AGENT, displayName: "Sam", joinedSequence: 6, lastReadSequence: 7 },
        ],
      },
      joined,
    );
    expect(reloaded.notices).toEqual([{ key: "notice-6", sequence: 6, text: "Sam joined the chat" }]);
    const left = chatReducer(
      state,
      event("chat.participants.removed", 8, { participants: [{ id: BOT, displayName: "Bot" }], removedBy: null }),
    );
    expect(left.others).toEqual({ [AGENT]: "Sam" });
    expect(left.notices.map((n) => n.text)).toEqual(["Sam joined the chat", "Bot left the chat"]);
  });
});

describe("timeline", () => {
  clock = Date.parse("2025-03-12T10:00:00Z");
  const mine = (sequence: number, over: Partial<Message> = {}) => message(sequence, { senderId: ME, ...over });

  it("groups runs by sender and puts notices and pending sends in place", () => {
    const state = run(
      { type: "history", messages: [message(2), message(3), mine(4), message(6, { senderId: AGENT })] },
      event("chat.participants.added", 5, { participants: [{ id: AGENT, displayName: "Sam" }], addedBy: null }),
      { type: "send", key: "k9", content: "thanks", files: [], createdAt: "2025-03-12T10:01:00.000Z" },
    );
    const items = timeline(state);
    expect(items.map((i) => (i.kind === "message" ? `${i.message.sequence}` : i.kind))).toEqual([
      "2",
      "3",
      "4",
      "notice",
      "6",
      "pending",
    ]);
    const flags = items.flatMap((i) => (i.kind === "message" ? [[i.groupStart, i.groupEnd]] : []));
    expect(flags).toEqual([
      [true, false],
      [false, true],
      [true, true],
      [true, true],
    ]);
    expect(items[5]).toMatchObject({ kind: "pending", groupStart: true });
  });

  it("starts a new run after a pause", () => {
    const state = run({
      type: "history",
      messages: [message(2), message(3, { createdAt: new Date(clock + 10 * 60_000).toISOString() })],
    });
    expect(timeline(state).map((i) => i.kind === "message" && i.groupStart)).toEqual([true, true]);
  });

  it("puts Read on the last own message read and Sent on the last one", () => {
    const state = run(
      { type: "history", messages: [mine(2), mine(3), message(4), mine(5)] },
      event("chat.read", 6, { identityId: AGENT, readUpTo: 4 }),
    );
    const receipts = timeline(state).map((i) => (i.kind === "message" ? i.receipt : undefined));
    expect(receipts).toEqual([undefined, "read", undefined, "sent"]);
    const allRead = chatReducer(state, event("chat.read", 7, { identityId: AGENT, readUpTo: 6 }));
    expect(timeline(allRead).map((i) => (i.kind === "message" ? i.receipt : undefined))).toEqual([
      undefined,
      undefined,
      undefined,
      "read",
    ]);
  });

  it("keeps an own message's key from sending to confirmed, so its bubble stays", () => {
    const sending = run({ type: "send", key: "k1", content: "hi", files: [], createdAt: "2025-03-12T10:01:00.000Z" });
    const sent = chatReducer(sending, { type: "sent", key: "k1", message: mine(3, { metadata: { idempotencyKey: "k1" } }) });
    expect(timeline(sending)[0]?.key).toBe("k1");
    expect(timeline(sent)[0]?.key).toBe("k1");
  });

  it("offers the quick replies of the latest message from the other side only", () => {
    const replies = [{ label: "Opening hours", value: "When are you open?" }];
    const asked = run({ type: "history", messages: [message(2, { quickReplies: replies })] });
    expect(currentQuickReplies(asked)).toEqual(replies);
    const answered = chatReducer(asked, { type: "history", messages: [mine(3)] });
    expect(currentQuickReplies(answered)).toEqual([]);
    const sending = chatReducer(asked, {
      type: "send",
      key: "k",
      content: "x",
      files: [],
      createdAt: "2025-03-12T10:01:00.000Z",
    });
    expect(currentQuickReplies(sending)).toEqual([]);
  });
});
