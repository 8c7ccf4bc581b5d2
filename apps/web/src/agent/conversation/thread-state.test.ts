import type { Message, ThreadEvent } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import {
  emptyThread,
  isReadBy,
  lastMessageSequence,
  preview,
  type ThreadAction,
  type ThreadState,
  TYPING_MS,
  threadReducer,
  typingNames,
  unreadCount,
} from "./thread-state.js";

const at = "2025-06-01T12:00:00.000Z";
const ME = "idn_agent";
const CUSTOMER = "idn_customer";

const message = (sequence: number, senderId: string, content = `m${sequence}`): Message => ({
  id: `msg_${sequence}`,
  sequence,
  senderId,
  senderDisplayName: senderId === ME ? "Grace" : "Ada",
  content,
  metadata: {},
  createdAt: at,
  editedAt: null,
  deletedAt: null,
  attachments: [],
  quickReplies: [],
  card: null,
});

const received = (m: Message): ThreadEvent => ({
  type: "chat.message.received",
  threadId: "thr_1",
  sequence: m.sequence,
  createdAt: at,
  data: { message: m },
});

const run = (state: ThreadState, ...actions: ThreadAction[]) => actions.reduce((s, a) => threadReducer(s, a, ME), state);
const event = (e: ThreadEvent, now = 0): ThreadAction => ({ type: "event", event: e, now });
const seqs = (state: ThreadState) => state.messages.map((m) => m.sequence);

describe("a thread on the agent desk", () => {
  it("merges history and live events in sequence order, each message once", () => {
    const state = run(
      emptyThread("thr_1"),
      event(received(message(5, CUSTOMER))),
      { type: "history", messages: [message(1, "idn_bot"), message(2, CUSTOMER), message(5, CUSTOMER)] },
      event(received(message(5, CUSTOMER))),
      event(received(message(3, "idn_bot"))),
    );
    expect(seqs(state)).toEqual([1, 2, 3, 5]);
    expect(state.loaded).toBe(true);
    expect(lastMessageSequence(state)).toBe(5);
  });

  it("counts unread messages from others until the agent reads them; its own never count", () => {
    let state = run(emptyThread("thr_1"), {
      type: "history",
      messages: [message(1, CUSTOMER), message(2, CUSTOMER)],
      participants: [
        { id: ME, displayName: "Grace", joinedSequence: 0, lastReadSequence: 1 },
        { id: CUSTOMER, displayName: "Ada", joinedSequence: 0, lastReadSequence: 2 },
      ],
    });
    expect(unreadCount(state, ME)).toBe(1);
    expect(isReadBy(state, CUSTOMER, 2)).toBe(true);
    state = run(state, { type: "read", sequence: 2 }, event(received(message(3, CUSTOMER))));
    expect(unreadCount(state, ME)).toBe(1);
    // Answering reads what came before.
    state = run(state, event(received(message(4, ME))));
    expect(unreadCount(state, ME)).toBe(0);
    // Another tab of the same agent read further.
    state = run(
      state,
      event(received(message(5, CUSTOMER))),
      event({ type: "chat.read", threadId: "thr_1", sequence: 6, createdAt: at, data: { identityId: ME, readUpTo: 5 } }),
    );
    expect(unreadCount(state, ME)).toBe(0);
  });

  it("shows the customer's read receipts as they move forward, never back", () => {
    const read = (upTo: number): ThreadEvent => ({
      type: "chat.read",
      threadId: "thr_1",
      sequence: 10 + upTo,
      createdAt: at,
      data: { identityId: CUSTOMER, readUpTo: upTo },
    });
    let state = run(emptyThread("thr_1"), event(received(message(3, ME))));
    expect(isReadBy(state, CUSTOMER, 3)).toBe(false);
    state = run(state, event(read(3)));
    expect(isReadBy(state, CUSTOMER, 3)).toBe(true);
    expect(run(state, event(read(2)))).toBe(state);
  });

  it("shows who is typing until they send or stop, never the agent themself", () => {
    const typing = (identityId: string, displayName: string): ThreadEvent => ({
      type: "chat.typing",
      threadId: "thr_1",
      sequence: 2,
      createdAt: at,
      data: { identityId, displayName },
    });
    let state = run(emptyThread("thr_1"), event(typing(CUSTOMER, "Ada"), 1000), event(typing(ME, "Grace"), 1000));
    expect(typingNames(state, 1000)).toEqual(["Ada"]);
    expect(typingNames(state, 1000 + TYPING_MS)).toEqual([]);
    expect(run(state, { type: "tick", now: 2000 })).toBe(state);
    expect(run(state, { type: "tick", now: 1000 + TYPING_MS }).typing).toEqual({});
    state = run(state, event(received(message(3, CUSTOMER)), 1500));
    expect(typingNames(state, 1500)).toEqual([]);
  });

  it("shows a message being sent at once, then the stored one; a failed send stays for a retry", () => {
    let state = run(emptyThread("thr_1"), { type: "sending", key: "k1", content: "Hello Ada", at });
    expect(preview(state)?.text).toBe("Hello Ada");
    const failed = run(state, { type: "send_failed", key: "k1" });
    expect(failed.pending).toEqual([{ key: "k1", content: "Hello Ada", at, failed: true }]);
    expect(run(failed, { type: "retrying", key: "k1" }).pending[0]?.failed).toBe(false);
    expect(run(failed, { type: "discard", key: "k1" }).pending).toEqual([]);
    // The live event may come before the answer to the send: the message is there once either way.
    state = run(state, event(received(message(4, ME, "Hello Ada"))), {
      type: "sent",
      key: "k1",
      message: message(4, ME, "Hello Ada"),
    });
    expect(state.pending).toEqual([]);
    expect(seqs(state)).toEqual([4]);
    expect(state.myRead).toBe(4);
  });

  it("applies edits and deletions", () => {
    let state = run(emptyThread("thr_1"), {
      type: "history",
      messages: [message(1, CUSTOMER, "helo"), message(2, CUSTOMER, "oops")],
    });
    state = run(
      state,
      event({
        type: "chat.message.edited",
        threadId: "thr_1",
        sequence: 3,
        createdAt: at,
        data: { message: { ...message(1, CUSTOMER, "hello"), editedAt: at } },
      }),
      event({
        type: "chat.message.deleted",
        threadId: "thr_1",
        sequence: 4,
        createdAt: at,
        data: { messageId: "msg_2", deletedAt: at },
      }),
    );
    expect(state.messages.map((m) => [m.content, m.editedAt !== null, m.deletedAt !== null])).toEqual([
      ["hello", true, false],
      ["", false, true],
    ]);
    expect(preview(state)?.text).toBe("Message deleted");
    expect(unreadCount(state, ME)).toBe(1);
  });
});
