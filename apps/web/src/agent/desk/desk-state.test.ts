import type { AgentState, Conversation, Offer, Worker } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import {
  type DeskAction,
  type DeskState,
  deskReducer,
  initialDesk,
  noticeText,
  offerParty,
  openConversations,
  wrapUpCodesFor,
} from "./desk-state.js";

const at = "2025-06-01T12:00:00.000Z";
const t0 = Date.parse(at);

const conversation = (id: string, patch: Partial<Conversation> = {}): Conversation => ({
  id,
  threadId: `thr_${id}`,
  channel: "web_chat",
  entryPointId: "ep_1",
  customerIdentityId: `idn_customer_${id}`,
  customerId: null,
  verified: false,
  status: "with_agent",
  intent: null,
  queue: "support",
  handoff: null,
  agentId: "idn_me",
  wrapUpCode: null,
  queuePosition: null,
  createdAt: at,
  updatedAt: at,
  awaitingSince: null,
  resolvedAt: null,
  ...patch,
});

const offer = (id: string, conversationId: string): Offer => ({
  id,
  jobId: `job_${id}`,
  conversationId,
  queueId: "que_1",
  queueName: "support",
  channel: "chat",
  issuedAt: at,
  expiresAt: "2025-06-01T12:00:30.000Z",
  call: null,
  conversation: conversation(conversationId, {
    status: "awaiting_agent",
    agentId: null,
    handoff: {
      reason: "customer_request",
      intent: null,
      queue: "support",
      customer: { identityId: "idn_c", customerId: null, name: "Ada", email: null, verified: false },
      summary: "Wants a person",
      at,
    },
  }),
});

/** A phone call waiting in a call queue: no conversation, the call instead. */
const callOffer = (id: string, from: string | null = "+15550123"): Offer => ({
  id,
  jobId: `job_${id}`,
  conversationId: null,
  queueId: "que_1",
  queueName: "Sales",
  channel: "voice",
  issuedAt: at,
  expiresAt: "2025-06-01T12:00:30.000Z",
  conversation: null,
  call: { id: `call_${id}`, from, conversationId: null },
});

const worker: Worker = {
  id: "idn_me",
  userId: "usr_me",
  name: "Grace",
  settings: { capacity: 3, channelCosts: { chat: 1, voice: 3 }, skills: {}, queueIds: ["que_1"], optedOut: [] },
  presence: "offline",
  presenceSince: at,
  load: 0,
};

const agentState = (patch: Partial<AgentState> = {}): AgentState => ({
  worker,
  offers: [],
  conversations: [],
  queues: [{ id: "que_1", name: "support", wrapUpCodes: ["resolved", "follow_up"] }],
  ...patch,
});

const run = (state: DeskState, ...actions: DeskAction[]) => actions.reduce(deskReducer, state);
const frame = (f: Extract<DeskAction, { type: "frame" }>["frame"], when = t0): DeskAction => ({
  type: "frame",
  frame: f,
  at: when,
});
const ids = (state: DeskState) => state.conversations.map((c) => `${c.id}:${c.status}`);

describe("the agent desk's state", () => {
  it("loads the agent's state and picks the first conversation", () => {
    const state = run(initialDesk, {
      type: "loaded",
      state: agentState({ conversations: [conversation("c1"), conversation("c2")] }),
      at: t0,
    });
    expect(state.loaded).toBe(true);
    expect(ids(state)).toEqual(["c1:with_agent", "c2:with_agent"]);
    expect(state.activeId).toBe("c1");
  });

  it("rings an offer from a frame once, and takes it away when it ends, telling why", () => {
    let state = run(initialDesk, { type: "loaded", state: agentState(), at: t0 });
    const arrived = t0 + 400;
    state = run(
      state,
      frame({ type: "routing.offer", offer: offer("o1", "c1") }, arrived),
      frame({ type: "routing.offer", offer: offer("o1", "c1") }),
    );
    expect(state.offers).toHaveLength(1);
    expect(state.offers[0]?.clock).toEqual({ deadline: arrived + 30_000, total: 30_000 });

    const missed = run(state, frame({ type: "routing.offer_ended", offerId: "o1", outcome: "expired" }));
    expect(missed.offers).toEqual([]);
    expect(missed.notice).toEqual({ kind: "offer_missed", customer: "Ada", channel: "chat" });
    const taken = run(state, frame({ type: "routing.offer_ended", offerId: "o1", outcome: "revoked" }));
    expect(taken.notice).toEqual({ kind: "offer_taken", customer: "Ada", channel: "chat" });
    // Accepted here: the accept answer brings the conversation; no notice.
    expect(run(state, frame({ type: "routing.offer_ended", offerId: "o1", outcome: "accepted" })).notice).toBeUndefined();
    // An ended offer this desk never saw changes nothing.
    expect(run(state, frame({ type: "routing.offer_ended", offerId: "o9", outcome: "expired" }))).toBe(state);
  });

  it("accepting adds the conversation and makes it the active one; a late assignment frame does not duplicate it", () => {
    let state = run(
      initialDesk,
      { type: "loaded", state: agentState({ conversations: [conversation("c0")] }), at: t0 },
      frame({ type: "routing.offer", offer: offer("o1", "c1") }),
    );
    state = run(state, { type: "accepted", offerId: "o1", conversation: conversation("c1") });
    expect(state.offers).toEqual([]);
    expect(ids(state)).toEqual(["c0:with_agent", "c1:with_agent"]);
    expect(state.activeId).toBe("c1");
    state = run(state, frame({ type: "conversation.updated", conversation: conversation("c1", { intent: "billing" }) }));
    expect(ids(state)).toEqual(["c0:with_agent", "c1:with_agent"]);
    expect(state.conversations[1]?.intent).toBe("billing");
  });

  it("adds a conversation transferred straight to this agent without taking the focus", () => {
    let state = run(initialDesk, { type: "loaded", state: agentState({ conversations: [conversation("c1")] }), at: t0 });
    state = run(state, frame({ type: "conversation.updated", conversation: conversation("c2") }));
    expect(ids(state)).toEqual(["c1:with_agent", "c2:with_agent"]);
    expect(state.activeId).toBe("c1");
    // Another agent's conversation is none of this desk's business.
    expect(run(state, frame({ type: "conversation.updated", conversation: conversation("c3", { agentId: "idn_other" }) }))).toBe(
      state,
    );
  });

  it("keeps a conversation the customer ended, marked resolved, until the agent closes it", () => {
    let state = run(initialDesk, {
      type: "loaded",
      state: agentState({ conversations: [conversation("c1"), conversation("c2")] }),
      at: t0,
    });
    state = run(
      state,
      frame({ type: "conversation.updated", conversation: conversation("c1", { status: "resolved", resolvedAt: at }) }),
    );
    expect(ids(state)).toEqual(["c1:resolved", "c2:with_agent"]);
    expect(openConversations(state).map((c) => c.id)).toEqual(["c2"]);
    // A reload of the agent's state (which lists open ones only) keeps it too.
    state = run(state, { type: "loaded", state: agentState({ conversations: [conversation("c2")] }), at: t0 });
    expect(ids(state)).toEqual(["c1:resolved", "c2:with_agent"]);
    state = run(state, { type: "left", conversationId: "c1" });
    expect(ids(state)).toEqual(["c2:with_agent"]);
    expect(state.activeId).toBe("c2");
  });

  it("ignores frames about a conversation it is resolving or transferring, and takes it back if that fails", () => {
    let state = run(initialDesk, {
      type: "loaded",
      state: agentState({ conversations: [conversation("c1"), conversation("c2")] }),
      at: t0,
    });
    state = run(state, { type: "select", conversationId: "c1" }, { type: "leaving", conversationId: "c1" });
    const resolved = conversation("c1", { status: "resolved", wrapUpCode: "resolved" });
    const during = run(state, frame({ type: "conversation.updated", conversation: resolved }));
    expect(ids(during)).toEqual(["c1:with_agent", "c2:with_agent"]);
    const done = run(during, { type: "left", conversationId: "c1", notice: { kind: "left", text: "Resolved" } });
    expect(ids(done)).toEqual(["c2:with_agent"]);
    expect(done.activeId).toBe("c2");
    expect(done.leaving).toEqual([]);
    expect(done.notice).toEqual({ kind: "left", text: "Resolved" });
    const failed = run(state, { type: "stayed", conversationId: "c1" });
    expect(failed.leaving).toEqual([]);
    expect(ids(failed)).toEqual(["c1:with_agent", "c2:with_agent"]);
  });

  it("lets go of a conversation someone else moved away, and says so", () => {
    let state = run(initialDesk, { type: "loaded", state: agentState({ conversations: [conversation("c1")] }), at: t0 });
    state = run(
      state,
      frame({ type: "conversation.updated", conversation: conversation("c1", { status: "awaiting_agent", agentId: null }) }),
    );
    expect(state.conversations).toEqual([]);
    expect(state.activeId).toBeUndefined();
    expect(state.notice?.kind).toBe("transferred_away");
  });

  it("follows presence and load, and drops an offer the customer left before anyone took it", () => {
    let state = run(
      initialDesk,
      { type: "loaded", state: agentState(), at: t0 },
      frame({ type: "routing.offer", offer: offer("o1", "c1") }),
    );
    state = run(state, frame({ type: "routing.presence", presence: "available", load: 1 }, t0 + 5000));
    expect(state.worker).toMatchObject({ presence: "available", load: 1, presenceSince: new Date(t0 + 5000).toISOString() });
    const verified = conversation("c1", { status: "awaiting_agent", agentId: null, verified: true });
    state = run(state, frame({ type: "conversation.updated", conversation: verified }));
    expect(state.offers[0]?.offer.conversation?.verified).toBe(true);
    state = run(state, frame({ type: "conversation.updated", conversation: { ...verified, status: "resolved" } }));
    expect(state.offers).toEqual([]);
  });

  it("clears offers a little after their deadline, and keeps known deadlines across a reload", () => {
    let state = run(
      initialDesk,
      { type: "loaded", state: agentState(), at: t0 },
      frame({ type: "routing.offer", offer: offer("o1", "c1") }, t0 + 1000),
    );
    const clock = state.offers[0]?.clock;
    state = run(state, { type: "loaded", state: agentState({ offers: [offer("o1", "c1")] }), at: t0 + 9000 });
    expect(state.offers[0]?.clock).toEqual(clock);
    expect(run(state, { type: "expire_offers", now: t0 + 31_000 })).toBe(state);
    expect(run(state, { type: "expire_offers", now: t0 + 33_000 }).offers).toEqual([]);
  });

  it("finds the wrap-up codes of the conversation's queue, or every queue's", () => {
    const queues = [
      { id: "q1", name: "support", wrapUpCodes: ["resolved", "follow_up"] },
      { id: "q2", name: "billing", wrapUpCodes: ["refund", "resolved"] },
    ];
    expect(wrapUpCodesFor(conversation("c1"), queues)).toEqual(["resolved", "follow_up"]);
    expect(wrapUpCodesFor(conversation("c1", { queue: "gone" }), queues)).toEqual(["resolved", "follow_up", "refund"]);
  });

  it("rings a phone call's offer, and says the call was missed or went elsewhere", () => {
    let state = run(initialDesk, { type: "loaded", state: agentState({ conversations: [conversation("c1")] }), at: t0 });
    state = run(state, frame({ type: "routing.offer", offer: callOffer("o1") }));
    expect(state.offers.map((o) => o.offer.id)).toEqual(["o1"]);
    // A conversation's update leaves a call's offer alone.
    expect(run(state, frame({ type: "conversation.updated", conversation: conversation("c1") })).offers).toHaveLength(1);

    const missed = run(state, frame({ type: "routing.offer_ended", offerId: "o1", outcome: "expired" }));
    expect(missed.notice).toEqual({ kind: "offer_missed", customer: "+15550123", channel: "voice" });
    expect(noticeText(missed.notice ?? { kind: "left", text: "" })).toBe(
      "You missed the call from +15550123: it went to the next agent.",
    );
    const taken = run(state, frame({ type: "routing.offer_ended", offerId: "o1", outcome: "revoked" }));
    expect(noticeText(taken.notice ?? { kind: "left", text: "" })).toBe(
      "The call from +15550123 was answered elsewhere or the caller hung up.",
    );
    // Answered in the browser: the desk drops it, with no notice.
    const answered = run(state, { type: "offer_gone", offerId: "o1" });
    expect(answered.offers).toEqual([]);
    expect(answered.notice).toBeUndefined();
  });

  it("names who an offer is from: the chat's customer or the caller", () => {
    expect(offerParty(offer("o1", "c1"))).toBe("Ada");
    expect(offerParty(callOffer("o2"))).toBe("+15550123");
    expect(offerParty(callOffer("o3", null))).toBe("Unknown caller");
  });
});
