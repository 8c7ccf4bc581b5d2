import type { Conversation, Message, TransferRequest } from "@switchboard/protocol";
import {
  generateIdempotencyKey,
  type RealtimeClient,
  type RealtimeState,
  type SettablePresence,
  SwitchboardError,
} from "@switchboard/sdk";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { useRealtime } from "../../shell/realtime/use-realtime.js";
import { useClient, useSession } from "../../shell/session/session-context.js";
import {
  emptyThread,
  lastMessageSequence,
  type ThreadAction,
  type ThreadState,
  threadReducer,
} from "../conversation/thread-state.js";
import { type DeskNotice, type DeskState, deskReducer, initialDesk } from "./desk-state.js";

export type Threads = Readonly<Record<string, ThreadState>>;

type ThreadsAction =
  | { readonly threadId: string; readonly action: ThreadAction }
  | { readonly type: "tick"; readonly now: number };

export interface DeskMe {
  readonly id: string;
  readonly name: string;
}

export interface Desk {
  readonly state: DeskState;
  readonly threads: Threads;
  readonly me: DeskMe;
  readonly realtime: RealtimeState;
  /** The signed-in agent's socket (web calling rides on it); undefined before the first effect. */
  readonly socket: RealtimeClient | undefined;
  /** Why the agent's state could not be loaded (shown until a reload works). */
  readonly loadError: unknown;
  /** Offers being accepted or declined right now. */
  readonly busyOffers: ReadonlySet<string>;
  readonly offerErrors: Readonly<Record<string, unknown>>;
  reload(): void;
  setPresence(presence: SettablePresence): Promise<void>;
  accept(offerId: string): Promise<void>;
  decline(offerId: string): Promise<void>;
  /** Takes an offer off the screen that was settled elsewhere (a call answered or rejected in the browser). */
  dropOffer(offerId: string): void;
  select(conversationId: string): void;
  transfer(conversation: Conversation, request: TransferRequest, targetName: string): Promise<void>;
  resolve(conversation: Conversation, wrapUpCode: string | undefined): Promise<void>;
  /** Takes a conversation the customer ended off the list. */
  close(conversationId: string): void;
  send(threadId: string, content: string): void;
  retry(threadId: string, key: string): void;
  discard(threadId: string, key: string): void;
  typing(threadId: string): void;
  markRead(threadId: string): void;
  dismissNotice(): void;
}

/** Typing frames are repeated this often while the agent types (the other side's indicator lasts longer). */
const TYPING_EVERY_MS = 2500;
/** Without a live socket, the agent's state is read this often. */
const POLL_MS = 10_000;

const offerGone = (error: unknown): boolean =>
  error instanceof SwitchboardError && (error.code.startsWith("offer.") || error.status === 404 || error.status === 409);

/**
 * Everything the agent desktop knows and does: the agent's state from `GET /v1/agent/me` kept current by the
 * socket's identity frames, one thread state per conversation kept current by its thread events, and the
 * actions, each of which updates the screen as soon as the server has answered.
 */
export function useDesk(): Desk {
  const client = useClient();
  const { session } = useSession();
  const realtime = useRealtime();
  const me = useMemo<DeskMe>(
    () => ({ id: session?.user.identityId ?? "", name: session?.user.displayName || session?.user.email || "" }),
    [session],
  );

  const [state, dispatch] = useReducer(deskReducer, initialDesk);
  const [threads, dispatchThreads] = useReducer((all: Threads, action: ThreadsAction): Threads => {
    if ("type" in action) {
      let changed = false;
      const next: Record<string, ThreadState> = {};
      for (const [id, thread] of Object.entries(all)) {
        next[id] = threadReducer(thread, { type: "tick", now: action.now }, me.id);
        if (next[id] !== thread) changed = true;
      }
      return changed ? next : all;
    }
    const current = all[action.threadId] ?? emptyThread(action.threadId);
    const next = threadReducer(current, action.action, me.id);
    return next === current ? all : { ...all, [action.threadId]: next };
  }, {});
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [busyOffers, setBusyOffers] = useState<ReadonlySet<string>>(new Set());
  const [offerErrors, setOfferErrors] = useState<Record<string, unknown>>({});

  const threadsRef = useRef(threads);
  threadsRef.current = threads;
  const loading = useRef(new Set<string>());
  const typingSent = useRef(new Map<string, number>());
  const readSent = useRef(new Map<string, number>());
  const sending = useRef(new Map<string, { threadId: string; content: string }>());

  const reload = useCallback(() => {
    const at = Date.now();
    client.agent.me().then(
      (agent) => {
        setLoadError(undefined);
        dispatch({ type: "loaded", state: agent, at });
      },
      (error: unknown) => setLoadError(error),
    );
  }, [client]);

  useEffect(reload, [reload]);

  // Identity frames and thread events from the socket; after a reconnect, what happened meanwhile.
  const socket = realtime.client;
  useEffect(() => {
    if (!socket) return;
    let readies = 0;
    const offs = [
      socket.on("frame", (frame) => dispatch({ type: "frame", frame, at: Date.now() })),
      socket.on("event", (event) =>
        dispatchThreads({ threadId: event.threadId, action: { type: "event", event, now: Date.now() } }),
      ),
      socket.on("ready", () => {
        // Identity frames are not replayed: read the state anew after every reconnect.
        if (readies++ > 0) reload();
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [socket, reload]);

  // No live socket: keep the state from going stale.
  const live = realtime.state === "open";
  useEffect(() => {
    if (live) return;
    const timer = globalThis.setInterval(reload, POLL_MS);
    return () => globalThis.clearInterval(timer);
  }, [live, reload]);

  // Each conversation's history and read marks, once.
  useEffect(() => {
    for (const conversation of state.conversations) {
      const { threadId } = conversation;
      if (threadsRef.current[threadId]?.loaded || loading.current.has(threadId)) continue;
      loading.current.add(threadId);
      const thread = client.chat.thread(threadId);
      void (async () => {
        try {
          const messages: Message[] = [];
          const [participants] = await Promise.all([
            thread.participants().catch(() => []),
            (async () => {
              for await (const message of thread.allMessages({ limit: 200 })) messages.push(message);
            })(),
          ]);
          dispatchThreads({ threadId, action: { type: "history", messages, participants } });
        } catch {
          // Tried again when the list changes next; live events still arrive meanwhile.
        } finally {
          loading.current.delete(threadId);
        }
      })();
    }
  }, [client, state.conversations]);

  // Offers past their deadline, typing indicators past theirs.
  const ticking = state.offers.length > 0 || Object.values(threads).some((t) => Object.keys(t.typing).length > 0);
  useEffect(() => {
    if (!ticking) return;
    const timer = globalThis.setInterval(() => {
      const now = Date.now();
      dispatch({ type: "expire_offers", now });
      dispatchThreads({ type: "tick", now });
    }, 1000);
    return () => globalThis.clearInterval(timer);
  }, [ticking]);

  const setPresence = useCallback(
    async (presence: SettablePresence) => {
      const before = state.worker?.presence;
      dispatch({ type: "presence", presence, at: Date.now() });
      try {
        await client.agent.setPresence(presence);
      } catch (error) {
        if (before) dispatch({ type: "presence", presence: before, at: Date.now() });
        throw error;
      }
    },
    [client, state.worker?.presence],
  );

  const withOffer = useCallback(async (offerId: string, act: () => Promise<void>) => {
    setBusyOffers((s) => new Set(s).add(offerId));
    setOfferErrors(({ [offerId]: _cleared, ...rest }) => rest);
    try {
      await act();
    } catch (error) {
      setOfferErrors((errors) => ({ ...errors, [offerId]: error }));
    } finally {
      setBusyOffers((s) => {
        const next = new Set(s);
        next.delete(offerId);
        return next;
      });
    }
  }, []);

  const accept = useCallback(
    (offerId: string) =>
      withOffer(offerId, async () => {
        try {
          const conversation = await client.offers.accept(offerId);
          dispatch({ type: "accepted", offerId, conversation });
          // The load changed; a presence frame is sent only when the presence does.
          reload();
        } catch (error) {
          if (!offerGone(error)) throw error;
          dispatch({
            type: "offer_gone",
            offerId,
            notice: { kind: "left", text: "That chat is no longer yours to take: it expired or another agent took it." },
          });
        }
      }),
    [client, withOffer, reload],
  );

  const decline = useCallback(
    (offerId: string) =>
      withOffer(offerId, async () => {
        try {
          await client.offers.decline(offerId);
        } catch (error) {
          if (!offerGone(error)) throw error;
        }
        dispatch({ type: "offer_gone", offerId });
      }),
    [client, withOffer],
  );

  const leave = useCallback(
    async (conversationId: string, act: () => Promise<unknown>, notice: DeskNotice) => {
      dispatch({ type: "leaving", conversationId });
      try {
        await act();
      } catch (error) {
        dispatch({ type: "stayed", conversationId });
        throw error;
      }
      dispatch({ type: "left", conversationId, notice });
      reload();
    },
    [reload],
  );

  const transfer = useCallback(
    (conversation: Conversation, request: TransferRequest, targetName: string) =>
      leave(conversation.id, () => client.conversations.transfer(conversation.id, request), {
        kind: "left",
        text: `Transferred to ${targetName}.`,
      }),
    [client, leave],
  );

  const resolve = useCallback(
    (conversation: Conversation, wrapUpCode: string | undefined) =>
      leave(
        conversation.id,
        () => client.conversations.resolve(conversation.id, wrapUpCode === undefined ? {} : { wrapUpCode }),
        { kind: "left", text: "Conversation resolved." },
      ),
    [client, leave],
  );

  const deliver = useCallback(
    (threadId: string, key: string, content: string) => {
      client.chat
        .thread(threadId)
        .send({ content, idempotencyKey: key })
        .then(
          (message) => {
            sending.current.delete(key);
            dispatchThreads({ threadId, action: { type: "sent", key, message } });
          },
          () => dispatchThreads({ threadId, action: { type: "send_failed", key } }),
        );
    },
    [client],
  );

  const send = useCallback(
    (threadId: string, content: string) => {
      const key = generateIdempotencyKey();
      sending.current.set(key, { threadId, content });
      typingSent.current.delete(threadId);
      dispatchThreads({ threadId, action: { type: "sending", key, content, at: new Date().toISOString() } });
      deliver(threadId, key, content);
    },
    [deliver],
  );

  const retry = useCallback(
    (threadId: string, key: string) => {
      const pending = sending.current.get(key);
      if (!pending) return;
      dispatchThreads({ threadId, action: { type: "retrying", key } });
      deliver(threadId, key, pending.content);
    },
    [deliver],
  );

  const discard = useCallback((threadId: string, key: string) => {
    sending.current.delete(key);
    dispatchThreads({ threadId, action: { type: "discard", key } });
  }, []);

  const typing = useCallback(
    (threadId: string) => {
      const now = Date.now();
      if (now - (typingSent.current.get(threadId) ?? 0) < TYPING_EVERY_MS) return;
      typingSent.current.set(threadId, now);
      if (!socket?.typing(threadId))
        void client.chat
          .thread(threadId)
          .typing()
          .catch(() => {});
    },
    [client, socket],
  );

  const markRead = useCallback(
    (threadId: string) => {
      const thread = threadsRef.current[threadId];
      if (!thread) return;
      const sequence = lastMessageSequence(thread);
      if (sequence <= thread.myRead || sequence <= (readSent.current.get(threadId) ?? 0)) return;
      readSent.current.set(threadId, sequence);
      dispatchThreads({ threadId, action: { type: "read", sequence } });
      void client.chat
        .thread(threadId)
        .markRead(sequence)
        .catch(() => readSent.current.delete(threadId));
    },
    [client],
  );

  return {
    state,
    threads,
    me,
    realtime: realtime.state,
    socket,
    loadError,
    busyOffers,
    offerErrors,
    reload,
    setPresence,
    accept,
    decline,
    dropOffer: useCallback((offerId: string) => dispatch({ type: "offer_gone", offerId }), []),
    select: useCallback((conversationId: string) => dispatch({ type: "select", conversationId }), []),
    transfer,
    resolve,
    close: useCallback((conversationId: string) => dispatch({ type: "left", conversationId }), []),
    send,
    retry,
    discard,
    typing,
    markRead,
    dismissNotice: useCallback(() => dispatch({ type: "dismiss_notice" }), []),
  };
}
