import type { AgentState, Conversation, IdentityFrame, Offer, Presence, Worker } from "@switchboard/protocol";
import { customerLabel } from "../../shell/conversations/conversation-labels.js";
import { callerLabel } from "../calls/call-state.js";
import { type OfferClock, offerClock } from "../offers/offer-countdown.js";

export type AgentQueue = AgentState["queues"][number];

/** An offer on screen, with its countdown on the local clock. */
export interface PendingOffer {
  readonly offer: Offer;
  readonly clock: OfferClock;
}

/** Something the agent should know that needs no answer: shown once, then dismissed. */
export type DeskNotice =
  | { readonly kind: "offer_missed"; readonly customer: string; readonly channel?: Offer["channel"] }
  | { readonly kind: "offer_taken"; readonly customer: string; readonly channel?: Offer["channel"] }
  | { readonly kind: "transferred_away"; readonly customer: string }
  | { readonly kind: "left"; readonly text: string };

export interface DeskState {
  readonly loaded: boolean;
  readonly worker: Worker | undefined;
  readonly offers: readonly PendingOffer[];
  /**
   * The agent's conversations, in the order they arrived. One the customer ended stays, `resolved`, until the
   * agent closes it: it does not vanish mid-sentence.
   */
  readonly conversations: readonly Conversation[];
  readonly queues: readonly AgentQueue[];
  readonly activeId: string | undefined;
  /** Conversations this agent is transferring or resolving: their frames must not bring them back. */
  readonly leaving: readonly string[];
  readonly notice: DeskNotice | undefined;
}

export type DeskAction =
  | { readonly type: "loaded"; readonly state: AgentState; readonly at: number }
  | { readonly type: "frame"; readonly frame: IdentityFrame; readonly at: number }
  | { readonly type: "accepted"; readonly offerId: string; readonly conversation: Conversation }
  /** The offer is gone here: declined, or accept found it expired or taken. */
  | { readonly type: "offer_gone"; readonly offerId: string; readonly notice?: DeskNotice }
  | { readonly type: "leaving"; readonly conversationId: string }
  /** A transfer or resolve failed: the conversation stays. */
  | { readonly type: "stayed"; readonly conversationId: string }
  /** Transferred or resolved by this agent, or an ended one closed. */
  | { readonly type: "left"; readonly conversationId: string; readonly notice?: DeskNotice }
  | { readonly type: "select"; readonly conversationId: string }
  | { readonly type: "presence"; readonly presence: Presence; readonly at: number }
  | { readonly type: "expire_offers"; readonly now: number }
  | { readonly type: "dismiss_notice" };

export const initialDesk: DeskState = {
  loaded: false,
  worker: undefined,
  offers: [],
  conversations: [],
  queues: [],
  activeId: undefined,
  leaving: [],
  notice: undefined,
};

/** How long an offer stays on screen past its deadline, waiting for the server's `routing.offer_ended`. */
export const OFFER_GRACE_MS = 2000;

export function deskReducer(state: DeskState, action: DeskAction): DeskState {
  switch (action.type) {
    case "loaded":
      return loaded(state, action.state, action.at);
    case "frame":
      return onFrame(state, action.frame, action.at);
    case "accepted": {
      const offers = state.offers.filter((o) => o.offer.id !== action.offerId);
      return { ...upsert({ ...state, offers }, action.conversation), activeId: action.conversation.id };
    }
    case "offer_gone":
      return {
        ...state,
        offers: state.offers.filter((o) => o.offer.id !== action.offerId),
        notice: action.notice ?? state.notice,
      };
    case "leaving":
      return state.leaving.includes(action.conversationId)
        ? state
        : { ...state, leaving: [...state.leaving, action.conversationId] };
    case "stayed":
      return { ...state, leaving: state.leaving.filter((id) => id !== action.conversationId) };
    case "left":
      return {
        ...remove(state, action.conversationId),
        leaving: state.leaving.filter((id) => id !== action.conversationId),
        notice: action.notice ?? state.notice,
      };
    case "select":
      return state.conversations.some((c) => c.id === action.conversationId)
        ? { ...state, activeId: action.conversationId }
        : state;
    case "presence":
      return withPresence(state, action.presence, undefined, action.at);
    case "expire_offers": {
      const offers = state.offers.filter((o) => o.clock.deadline + OFFER_GRACE_MS > action.now);
      return offers.length === state.offers.length ? state : { ...state, offers };
    }
    case "dismiss_notice":
      return state.notice === undefined ? state : { ...state, notice: undefined };
  }
}

function loaded(state: DeskState, agent: AgentState, at: number): DeskState {
  const known = new Map(state.offers.map((o) => [o.offer.id, o.clock]));
  const offers = agent.offers.map((offer) => ({ offer, clock: known.get(offer.id) ?? offerClock(offer, at, false) }));
  const assigned = agent.conversations.filter((c) => !state.leaving.includes(c.id));
  // Keep the order the agent is used to: known ones where they were, new ones at the end; ended ones stay.
  const byId = new Map(assigned.map((c) => [c.id, c]));
  const kept = state.conversations.flatMap((c) => {
    const fresh = byId.get(c.id);
    byId.delete(c.id);
    if (fresh) return [fresh];
    return c.status === "resolved" ? [c] : [];
  });
  const conversations = [...kept, ...byId.values()];
  return {
    ...state,
    loaded: true,
    worker: agent.worker,
    offers,
    conversations,
    queues: agent.queues,
    activeId: pickActive(conversations, state.activeId),
  };
}

function onFrame(state: DeskState, frame: IdentityFrame, at: number): DeskState {
  switch (frame.type) {
    case "routing.offer": {
      if (state.offers.some((o) => o.offer.id === frame.offer.id)) return state;
      return { ...state, offers: [...state.offers, { offer: frame.offer, clock: offerClock(frame.offer, at, true) }] };
    }
    case "routing.offer_ended": {
      const ended = state.offers.find((o) => o.offer.id === frame.offerId);
      if (!ended) return state;
      const offers = state.offers.filter((o) => o.offer.id !== frame.offerId);
      const customer = offerParty(ended.offer);
      const { channel } = ended.offer;
      const notice: DeskNotice | undefined =
        frame.outcome === "expired"
          ? { kind: "offer_missed", customer, channel }
          : frame.outcome === "revoked"
            ? { kind: "offer_taken", customer, channel }
            : undefined;
      return { ...state, offers, notice: notice ?? state.notice };
    }
    case "routing.presence":
      return withPresence(state, frame.presence, frame.load, at);
    case "conversation.updated":
      return onConversation(state, frame.conversation);
    case "supervisor.live":
      return state;
    default:
      // A frame type newer than this app.
      return state;
  }
}

function onConversation(state: DeskState, conversation: Conversation): DeskState {
  // An offer's conversation changes while it rings (the customer verified, or left).
  const offers = state.offers.flatMap((o) => {
    if (o.offer.conversationId !== conversation.id) return [o];
    return conversation.status === "awaiting_agent" ? [{ ...o, offer: { ...o.offer, conversation } }] : [];
  });
  const next =
    offers.length === state.offers.length && offers.every((o, i) => o === state.offers[i]) ? state : { ...state, offers };
  if (state.leaving.includes(conversation.id)) return next;

  const me = state.worker?.id;
  const listed = next.conversations.some((c) => c.id === conversation.id);
  if (conversation.status === "resolved") {
    // Ended by the customer (or an admin): it stays, marked ended, until the agent closes it.
    return listed ? replace(next, conversation) : next;
  }
  if (conversation.status === "with_agent" && me !== undefined && conversation.agentId === me) return upsert(next, conversation);
  if (!listed) return next;
  // Someone moved it away from this agent (a supervisor's transfer).
  return {
    ...remove(next, conversation.id),
    notice: { kind: "transferred_away", customer: customerLabel(conversation) },
  };
}

function withPresence(state: DeskState, presence: Presence, load: number | undefined, at: number): DeskState {
  const worker = state.worker;
  if (!worker) return state;
  const changed = worker.presence !== presence;
  if (!changed && (load === undefined || load === worker.load)) return state;
  return {
    ...state,
    worker: {
      ...worker,
      presence,
      load: load ?? worker.load,
      presenceSince: changed ? new Date(at).toISOString() : worker.presenceSince,
    },
  };
}

function upsert(state: DeskState, conversation: Conversation): DeskState {
  if (state.conversations.some((c) => c.id === conversation.id)) return replace(state, conversation);
  const conversations = [...state.conversations, conversation];
  return { ...state, conversations, activeId: state.activeId ?? conversation.id };
}

function replace(state: DeskState, conversation: Conversation): DeskState {
  return { ...state, conversations: state.conversations.map((c) => (c.id === conversation.id ? conversation : c)) };
}

function remove(state: DeskState, conversationId: string): DeskState {
  const index = state.conversations.findIndex((c) => c.id === conversationId);
  if (index < 0) return state;
  const conversations = state.conversations.filter((c) => c.id !== conversationId);
  // The next one down takes the place of the one that left (or the one above, at the end of the list).
  const activeId = state.activeId === conversationId ? (conversations[index] ?? conversations[index - 1])?.id : state.activeId;
  return { ...state, conversations, activeId };
}

function pickActive(conversations: readonly Conversation[], current: string | undefined): string | undefined {
  if (current && conversations.some((c) => c.id === current)) return current;
  return conversations[0]?.id;
}

/** Who an offer is from: the chat's customer, or the caller's number. */
export function offerParty(offer: Offer): string {
  if (offer.conversation) return customerLabel(offer.conversation);
  return callerLabel(offer.call?.from ?? null);
}

/** Conversations that count against capacity: the ones still open. */
export const openConversations = (state: DeskState): Conversation[] => state.conversations.filter((c) => c.status !== "resolved");

/** The wrap-up codes of a conversation's queue (by name, as conversations carry it), or every queue's when unknown. */
export function wrapUpCodesFor(conversation: Conversation, queues: readonly AgentQueue[]): string[] {
  const own = queues.find((q) => q.name === conversation.queue);
  if (own) return [...own.wrapUpCodes];
  return [...new Set(queues.flatMap((q) => q.wrapUpCodes))];
}

export function noticeText(notice: DeskNotice): string {
  switch (notice.kind) {
    case "offer_missed":
      return notice.channel === "voice"
        ? `You missed the call from ${notice.customer}: it went to the next agent.`
        : `You missed the chat from ${notice.customer}: it went to the next agent.`;
    case "offer_taken":
      return notice.channel === "voice"
        ? `The call from ${notice.customer} was answered elsewhere or the caller hung up.`
        : `The chat from ${notice.customer} was taken by another agent.`;
    case "transferred_away":
      return `The conversation with ${notice.customer} was moved to someone else.`;
    case "left":
      return notice.text;
  }
}
