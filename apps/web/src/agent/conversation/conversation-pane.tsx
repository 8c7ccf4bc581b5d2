import type { Conversation } from "@switchboard/protocol";
import { type RefObject, useEffect, useMemo } from "react";
import { customerLabel, intentLabel } from "../../shell/conversations/conversation-labels.js";
import { useClient, useToken } from "../../shell/session/session-context.js";
import { CheckCircleIcon, CloseIcon, ShieldIcon, TransferIcon, UserIcon } from "../../shell/ui/icons.js";
import { Composer } from "../composer/composer.js";
import type { Desk } from "../desk/use-desk.js";
import { emptyThread, typingNames } from "./thread-state.js";
import { Transcript } from "./transcript.js";
import { transcriptItems } from "./transcript-items.js";

/**
 * The active conversation: who it is with and the actions on it, the whole transcript, and the composer.
 * While it is on screen and the window has the focus, what arrives is marked read.
 */
export function ConversationPane({
  conversation,
  desk,
  agentIds,
  now,
  visible,
  drafts,
  composerRef,
  onTransfer,
  onResolve,
  onToggleCustomer,
}: {
  conversation: Conversation;
  desk: Desk;
  agentIds: ReadonlySet<string> | undefined;
  now: number;
  visible: boolean;
  drafts: Map<string, string>;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  onTransfer: () => void;
  onResolve: () => void;
  onToggleCustomer: () => void;
}) {
  const client = useClient();
  const token = useToken();
  const { me } = desk;
  const thread = desk.threads[conversation.threadId] ?? emptyThread(conversation.threadId);
  const ended = conversation.status === "resolved";
  const name = customerLabel(conversation);
  const leaving = desk.state.leaving.includes(conversation.id);

  const items = useMemo(
    () =>
      transcriptItems(
        thread.messages,
        conversation,
        { me: me.id, agentIds },
        thread.readBy[conversation.customerIdentityId] ?? 0,
      ),
    [thread.messages, thread.readBy, conversation, me.id, agentIds],
  );

  // Read what is on screen: now, and whenever the window comes back into view.
  const { markRead } = desk;
  const { threadId } = conversation;
  const newest = thread.messages.at(-1)?.sequence ?? 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `newest` is what makes a new read worth sending
  useEffect(() => {
    if (!visible) return;
    const read = () => {
      if (document.visibilityState === "visible" && document.hasFocus()) markRead(threadId);
    };
    read();
    document.addEventListener("visibilitychange", read);
    globalThis.addEventListener("focus", read);
    return () => {
      document.removeEventListener("visibilitychange", read);
      globalThis.removeEventListener("focus", read);
    };
  }, [visible, threadId, newest, markRead]);

  return (
    <section className="desk-conversation" aria-label={`Conversation with ${name}`}>
      <header className="conv-head">
        <div className="conv-title-block">
          <h1 className="conv-title">
            {name}
            {conversation.verified ? (
              <span className="conv-verified" title="Verified customer">
                <ShieldIcon size={15} />
                <span className="visually-hidden">Verified</span>
              </span>
            ) : null}
          </h1>
          <p className="conv-sub">
            {conversation.queue}
            {conversation.intent ? ` · ${intentLabel(conversation.intent)}` : ""}
            {ended ? " · Ended" : ""}
          </p>
        </div>
        <div className="conv-actions">
          <button type="button" className="btn btn-sm conv-customer-toggle" onClick={onToggleCustomer} title="Customer (Alt C)">
            <UserIcon size={15} /> Customer
          </button>
          {ended ? (
            <button type="button" className="btn btn-sm" onClick={() => desk.close(conversation.id)}>
              <CloseIcon size={15} /> Close
            </button>
          ) : (
            <>
              <button type="button" className="btn btn-sm" onClick={onTransfer} disabled={leaving} title="Transfer (Alt T)">
                <TransferIcon size={15} /> Transfer
              </button>
              <button
                type="button"
                className="btn btn-sm btn-resolve"
                onClick={onResolve}
                disabled={leaving}
                title="Resolve (Alt R)"
              >
                <CheckCircleIcon size={15} /> Resolve
              </button>
            </>
          )}
        </div>
      </header>
      {ended ? (
        <p className="conv-ended" role="status">
          {name} ended the chat. Close it when you're done here.
        </p>
      ) : null}
      <Transcript
        items={items}
        pending={thread.pending}
        typing={typingNames(thread, now)}
        ended={ended}
        loaded={thread.loaded}
        attachmentUrl={(id) => client.attachments.url(id, token)}
        onRetry={(key) => desk.retry(threadId, key)}
        onDiscard={(key) => desk.discard(threadId, key)}
      />
      <Composer
        key={conversation.id}
        inputRef={composerRef}
        initialDraft={drafts.get(conversation.id) ?? ""}
        onDraft={(draft) => {
          if (draft) drafts.set(conversation.id, draft);
          else drafts.delete(conversation.id);
        }}
        onSend={(text) => desk.send(threadId, text)}
        onTyping={() => desk.typing(threadId)}
        context={{ customer: conversation.handoff?.customer.name ?? null, agent: me.name }}
        disabled={ended || leaving}
        placeholder={ended ? "The conversation has ended" : `Reply to ${name}…`}
      />
    </section>
  );
}
