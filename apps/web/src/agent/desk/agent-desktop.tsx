import type { Offer, Worker } from "@switchboard/protocol";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { customerLabel } from "../../shell/conversations/conversation-labels.js";
import { useNow } from "../../shell/data/use-now.js";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient } from "../../shell/session/session-context.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { EmptyState, ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { ChatIcon, CloseIcon } from "../../shell/ui/icons.js";
import { CallOfferCard } from "../calls/call-offer-card.js";
import { CallArea } from "../calls/call-panel.js";
import { type VoiceOfferMode, voiceOfferMode } from "../calls/call-state.js";
import { useCalling } from "../calls/use-calling.js";
import { ConversationPane } from "../conversation/conversation-pane.js";
import { ResolveDialog } from "../conversation/resolve-dialog.js";
import { unreadCount } from "../conversation/thread-state.js";
import { TransferDialog } from "../conversation/transfer-dialog.js";
import { CustomerPanel } from "../customer/customer-panel.js";
import { OfferCard } from "../offers/offer-card.js";
import { useChime } from "../offers/use-chime.js";
import { ConversationList } from "./conversation-list.js";
import { DeskBar } from "./desk-bar.js";
import { noticeText, offerParty, openConversations, wrapUpCodesFor } from "./desk-state.js";
import { commandFor, SHORTCUTS, stepThrough } from "./shortcuts.js";
import { useDesk } from "./use-desk.js";

/** What a phone shows: one column at a time. */
type PhoneView = "list" | "chat" | "customer";

/**
 * The agent desktop: a top bar, incoming offers above everything, the conversations on the left, the active
 * one in the middle and its customer on the right. On a phone, one of the three at a time.
 */
export function AgentDesktop() {
  const desk = useDesk();
  const client = useClient();
  const { state, threads, me } = desk;
  const [phoneView, setPhoneView] = useState<PhoneView>("chat");
  const [customerOpen, setCustomerOpen] = useState(false);
  const [dialog, setDialog] = useState<"transfer" | "resolve" | "shortcuts" | undefined>(undefined);
  const drafts = useRef(new Map<string, string>()).current;
  const composerRef = useRef<HTMLTextAreaElement>(null);

  const typingAnywhere = Object.values(threads).some((t) => Object.keys(t.typing).length > 0);
  const now = useNow(1000, typingAnywhere || state.worker?.presence === "wrap_up");
  const chime = useChime(state.offers.map((o) => o.offer.id));
  const calling = useCalling(desk.socket, client);

  // The tenant's agents: tells colleagues' messages from the bot's in transcripts.
  const workers = useResource(
    useCallback((signal: AbortSignal) => client.workers.list({ signal }).catch(() => [] as Worker[]), [client]),
  );
  const agentIds = useMemo(
    () => (workers.data && workers.data.length > 0 ? new Set(workers.data.map((w) => w.id)) : undefined),
    [workers.data],
  );

  const active = state.conversations.find((c) => c.id === state.activeId);
  const open = openConversations(state);
  const unread = state.conversations.reduce((n, c) => {
    const t = threads[c.threadId];
    return n + (t && c.id !== state.activeId ? unreadCount(t, me.id) : 0);
  }, 0);

  const select = useCallback(
    (conversationId: string) => {
      desk.select(conversationId);
      setPhoneView("chat");
    },
    [desk.select],
  );

  // The tab's title says what waits: an offer, a call in progress, or unread messages.
  const firstChannel = state.offers[0]?.offer.channel;
  const onCall = calling.active?.phase === "connected";
  useEffect(() => {
    const base = "Agent desktop · Switchboard";
    document.title = firstChannel
      ? `Incoming ${firstChannel === "voice" ? "call" : "chat"} · ${base}`
      : onCall
        ? `On a call · ${base}`
        : unread > 0
          ? `(${unread}) ${base}`
          : base;
  }, [firstChannel, onCall, unread]);

  // A notice fades after a while; the agent need not dismiss it.
  useEffect(() => {
    if (!state.notice) return;
    const timer = globalThis.setTimeout(desk.dismissNotice, 8000);
    return () => globalThis.clearTimeout(timer);
  }, [state.notice, desk.dismissNotice]);

  const { snapshot: callSnapshot, answer: answerCall, reject: rejectCall } = calling;
  const { reload, dropOffer } = desk;
  // A phone call's offer is taken by answering its call in this browser (the REST accept is for chats only).
  const accept = useCallback(
    async (offerId: string) => {
      const pending = state.offers.find((o) => o.offer.id === offerId);
      if (pending?.offer.channel !== "voice") return desk.accept(offerId);
      const mode = voiceOfferMode(pending.offer, callSnapshot.calls);
      if (mode.kind !== "answer") return;
      // Answered, or refused here (the microphone; the call area says why): either way the offer is settled.
      const answered = await answerCall(mode.call.legId);
      dropOffer(offerId);
      // The load changed; a presence frame is sent only when the presence does.
      if (answered) reload();
    },
    [state.offers, callSnapshot.calls, answerCall, desk.accept, dropOffer, reload],
  );
  const decline = useCallback(
    async (offerId: string) => {
      const pending = state.offers.find((o) => o.offer.id === offerId);
      const mode = pending?.offer.channel === "voice" ? voiceOfferMode(pending.offer, callSnapshot.calls) : undefined;
      if (mode?.kind === "answer") {
        // Rejecting the call declines the offer; the REST decline would leave the call ringing the desk phone.
        rejectCall(mode.call.legId);
        dropOffer(offerId);
        return;
      }
      return desk.decline(offerId);
    },
    [state.offers, callSnapshot.calls, rejectCall, desk.decline, dropOffer],
  );
  const firstOffer = state.offers[0]?.offer.id;
  const ids = state.conversations.map((c) => c.id).join(",");
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (dialog !== undefined) return;
      const command = commandFor(event);
      if (!command) return;
      const list = ids ? ids.split(",") : [];
      let handled = true;
      switch (command.type) {
        case "accept":
          if (firstOffer) void accept(firstOffer);
          break;
        case "decline":
          if (firstOffer) void decline(firstOffer);
          break;
        case "select": {
          const id = list[command.index];
          if (id) select(id);
          break;
        }
        case "next":
        case "previous": {
          const id = stepThrough(list, state.activeId, command.type === "next" ? 1 : -1);
          if (id) select(id);
          break;
        }
        case "transfer":
          if (active && active.status !== "resolved") setDialog("transfer");
          break;
        case "resolve":
          if (active && active.status !== "resolved") setDialog("resolve");
          break;
        case "composer":
          setPhoneView("chat");
          composerRef.current?.focus();
          break;
        case "customer":
          setCustomerOpen((o) => !o);
          setPhoneView((v) => (v === "customer" ? "chat" : "customer"));
          break;
        default:
          handled = false;
      }
      if (handled) event.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [dialog, firstOffer, accept, decline, select, ids, state.activeId, active]);

  if (!state.loaded) {
    return (
      <div className="desk desk-loading">
        {desk.loadError ? (
          <div className="desk-load-error">
            <ErrorNotice error={desk.loadError} onRetry={desk.reload} />
          </div>
        ) : (
          <Loading label="Opening your desk…" />
        )}
      </div>
    );
  }

  const customer = active ? customerLabel(active) : "";
  return (
    <div className={`desk desk-view-${phoneView}${customerOpen ? " desk-customer-open" : ""}`}>
      <DeskBar
        worker={state.worker}
        openCount={open.length}
        realtime={desk.realtime}
        calls={calling.snapshot.registration}
        chime={chime}
        now={now}
        onPresence={desk.setPresence}
        onShortcuts={() => setDialog("shortcuts")}
        onPlaceCall={calling.place}
      />
      {state.offers.length > 0 ? (
        <div className="desk-offers">
          {state.offers.map((pending, index) =>
            pending.offer.conversation ? (
              <OfferCard
                key={pending.offer.id}
                pending={pending}
                first={index === 0}
                busy={desk.busyOffers.has(pending.offer.id)}
                error={desk.offerErrors[pending.offer.id]}
                onAccept={() => {
                  setPhoneView("chat");
                  void accept(pending.offer.id);
                }}
                onDecline={() => void decline(pending.offer.id)}
              />
            ) : (
              <CallOfferCard
                key={pending.offer.id}
                pending={pending}
                mode={voiceOfferMode(pending.offer, calling.snapshot.calls)}
                first={index === 0}
                busy={desk.busyOffers.has(pending.offer.id)}
                onAccept={() => void accept(pending.offer.id)}
                onDecline={() => void decline(pending.offer.id)}
              />
            ),
          )}
        </div>
      ) : null}
      <div className="visually-hidden" role="alert">
        {state.offers[0]
          ? offerAnnouncement(state.offers[0].offer, voiceOfferMode(state.offers[0].offer, calling.snapshot.calls))
          : ""}
      </div>
      <CallArea calling={calling} queues={state.queues} />
      {state.notice ? (
        <div className="desk-notice" role="status">
          <span>{noticeText(state.notice)}</span>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={desk.dismissNotice}>
            <CloseIcon size={16} />
          </button>
        </div>
      ) : null}
      <div className="desk-switcher segmented" role="tablist" aria-label="Show">
        {(
          [
            ["list", `Chats${open.length > 0 ? ` (${open.length})` : ""}`],
            ["chat", "Conversation"],
            ["customer", "Customer"],
          ] as const
        ).map(([view, label]) => (
          <button
            key={view}
            type="button"
            role="tab"
            className="segment"
            aria-selected={phoneView === view}
            onClick={() => setPhoneView(view)}
          >
            {label}
            {view === "list" && unread > 0 ? <span className="desk-unread">{unread}</span> : null}
          </button>
        ))}
      </div>
      <div className="desk-body">
        <ConversationList
          conversations={state.conversations}
          threads={threads}
          activeId={state.activeId}
          me={me.id}
          now={now}
          capacity={state.worker?.settings.capacity}
          onSelect={select}
        />
        <main className="desk-main">
          {active ? (
            <ConversationPane
              key={active.id}
              conversation={active}
              desk={desk}
              agentIds={agentIds}
              now={now}
              visible={phoneView === "chat" || globalThis.matchMedia?.("(min-width: 761px)").matches !== false}
              drafts={drafts}
              composerRef={composerRef}
              onTransfer={() => setDialog("transfer")}
              onResolve={() => setDialog("resolve")}
              onToggleCustomer={() => {
                setCustomerOpen((o) => !o);
                setPhoneView("customer");
              }}
            />
          ) : (
            <div className="desk-idle">
              <EmptyState icon={<ChatIcon size={24} />} title={idleTitle(state.worker?.presence)}>
                {idleText(state.worker?.presence)}
              </EmptyState>
            </div>
          )}
        </main>
        <aside className="desk-side" aria-label="Customer">
          {active ? (
            <>
              <button
                type="button"
                className="icon-btn desk-side-close"
                aria-label="Close the customer panel"
                onClick={() => setCustomerOpen(false)}
              >
                <CloseIcon size={16} />
              </button>
              <CustomerPanel key={active.id} conversation={active} />
            </>
          ) : (
            <p className="muted desk-side-empty">The customer of the open conversation shows here.</p>
          )}
        </aside>
      </div>
      {active ? (
        <>
          <TransferDialog
            open={dialog === "transfer"}
            onClose={() => setDialog(undefined)}
            customer={customer}
            queues={state.queues}
            me={me.id}
            onTransfer={(request, target) => desk.transfer(active, request, target)}
          />
          <ResolveDialog
            open={dialog === "resolve"}
            onClose={() => setDialog(undefined)}
            customer={customer}
            codes={wrapUpCodesFor(active, state.queues)}
            onResolve={(code) => desk.resolve(active, code)}
          />
        </>
      ) : null}
      <Dialog open={dialog === "shortcuts"} onClose={() => setDialog(undefined)} title="Keyboard shortcuts">
        <div className="dialog-body">
          <table className="table table-compact shortcuts">
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.keys}>
                  <td>
                    <kbd className="kbd">{s.keys}</kbd>
                  </td>
                  <td>{s.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Dialog>
    </div>
  );
}

function offerAnnouncement(offer: Offer, mode: VoiceOfferMode): string {
  if (offer.channel !== "voice") return `Incoming chat from ${offerParty(offer)}. Alt A accepts.`;
  const call = `Incoming call from ${offerParty(offer)} on ${offer.queueName}.`;
  return mode.kind === "desk_phone" ? `${call} Your desk phone is ringing.` : `${call} Alt A answers.`;
}

function idleTitle(presence: string | undefined): string {
  if (presence === "available") return "Waiting for the next chat";
  if (presence === "wrap_up") return "Wrapping up";
  return "You're not taking chats";
}

function idleText(presence: string | undefined): string {
  if (presence === "available") return "New chats ring at the top with a sound. Accept with Alt A.";
  if (presence === "wrap_up") return "You'll be available again when wrap-up time is over.";
  return "Set yourself Available in the top bar to get chats from your queues.";
}
