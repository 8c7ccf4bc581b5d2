import type { Message } from "@switchboard/protocol";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { formatDateTime, formatTime } from "../../shell/format/time.js";
import { BotIcon, CheckIcon } from "../../shell/ui/icons.js";
import type { PendingMessage } from "./thread-state.js";
import type { DeskSpeaker, TranscriptItem } from "./transcript-items.js";

const ROLE: Record<DeskSpeaker, string> = { customer: "Customer", me: "You", agent: "Agent", bot: "Bot" };

/** Within this many pixels of the bottom, the transcript follows new messages. */
const STICK_PX = 80;

/**
 * The whole conversation, bot part included: the customer on the left, the company (the bot, colleagues, the
 * agent) on the right, each told apart by colour and label. It follows new messages while scrolled to the end;
 * otherwise a button says there are new ones.
 */
export function Transcript({
  items,
  pending,
  typing,
  ended,
  loaded,
  attachmentUrl,
  onRetry,
  onDiscard,
}: {
  items: readonly TranscriptItem[];
  pending: readonly PendingMessage[];
  typing: readonly string[];
  ended: boolean;
  loaded: boolean;
  attachmentUrl: (attachmentId: string) => string;
  onRetry: (key: string) => void;
  onDiscard: (key: string) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [behind, setBehind] = useState(false);
  const count = items.length + pending.length;

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    if (atBottom.current) setBehind(false);
  };

  const toBottom = useCallback(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setBehind(false);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when something was added or someone types
  useLayoutEffect(() => {
    if (atBottom.current) toBottom();
    else setBehind(true);
  }, [count, typing.length > 0]);

  // A conversation opens at its end.
  useEffect(() => {
    if (loaded) toBottom();
  }, [loaded, toBottom]);

  return (
    <div className="transcript-wrap">
      <div className="desk-transcript" ref={scroller} onScroll={onScroll}>
        {!loaded && items.length === 0 ? <p className="muted transcript-loading">Loading the conversation…</p> : null}
        <ol className="desk-messages" role="log" aria-label="Messages">
          {items.map((item) =>
            item.kind === "divider" ? (
              <li key={item.key} className="desk-divider">
                <span>{item.text}</span>
              </li>
            ) : (
              <MessageItem key={item.key} item={item} attachmentUrl={attachmentUrl} />
            ),
          )}
          {pending.map((p) => (
            <li key={p.key} className="desk-msg desk-msg-me desk-msg-pending">
              <div className="desk-bubble">
                <p className="desk-text">{p.content}</p>
              </div>
              <div className="desk-receipt">
                {p.failed ? (
                  <span className="desk-failed">
                    Not sent.{" "}
                    <button type="button" className="link-btn" onClick={() => onRetry(p.key)}>
                      Retry
                    </button>{" "}
                    ·{" "}
                    <button type="button" className="link-btn" onClick={() => onDiscard(p.key)}>
                      Discard
                    </button>
                  </span>
                ) : (
                  "Sending…"
                )}
              </div>
            </li>
          ))}
          {ended ? (
            <li className="desk-divider desk-divider-end">
              <span>The conversation has ended</span>
            </li>
          ) : null}
        </ol>
        <div className="desk-typing" aria-live="polite">
          {typing.length > 0 ? (
            <>
              <span className="typing-dots" aria-hidden="true">
                <span className="typing-dot" />
                <span className="typing-dot" />
                <span className="typing-dot" />
              </span>
              {typing.join(", ")} {typing.length === 1 ? "is" : "are"} typing…
            </>
          ) : null}
        </div>
      </div>
      {behind ? (
        <button type="button" className="new-messages" onClick={toBottom}>
          New messages ↓
        </button>
      ) : null}
    </div>
  );
}

function MessageItem({
  item,
  attachmentUrl,
}: {
  item: Extract<TranscriptItem, { kind: "message" }>;
  attachmentUrl: (attachmentId: string) => string;
}) {
  const { message, speaker, head, receipt } = item;
  return (
    <li className={`desk-msg desk-msg-${speaker}${head ? " desk-msg-head" : ""}`} data-speaker={speaker}>
      {head ? (
        <div className="desk-msg-meta">
          {speaker === "bot" ? <BotIcon size={13} /> : null}
          <span className="desk-msg-sender">{speaker === "me" ? "You" : message.senderDisplayName || ROLE[speaker]}</span>
          {speaker !== "me" ? <span className="desk-msg-role">{ROLE[speaker]}</span> : null}
          <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
            {formatTime(message.createdAt)}
          </time>
        </div>
      ) : null}
      <div className="desk-bubble">
        <MessageBody message={message} attachmentUrl={attachmentUrl} />
      </div>
      {receipt ? (
        <div className={`desk-receipt${receipt === "read" ? " desk-receipt-read" : ""}`}>
          {receipt === "read" ? (
            <>
              <CheckIcon size={13} /> Read
            </>
          ) : (
            "Sent"
          )}
        </div>
      ) : null}
    </li>
  );
}

/** Text, a card, attachments, and quick replies (shown, not clickable: they were the customer's to tap). */
function MessageBody({ message, attachmentUrl }: { message: Message; attachmentUrl: (attachmentId: string) => string }) {
  if (message.deletedAt) return <em className="desk-deleted">Message deleted</em>;
  return (
    <>
      {message.content ? <p className="desk-text">{message.content}</p> : null}
      {message.card ? (
        <div className="desk-card">
          {message.card.imageUrl ? <img src={message.card.imageUrl} alt="" loading="lazy" /> : null}
          <strong>{message.card.title}</strong>
          {message.card.text ? <p>{message.card.text}</p> : null}
          {message.card.buttons && message.card.buttons.length > 0 ? (
            <div className="chips" title="The card's buttons">
              {message.card.buttons.map((b) => (
                <span key={`${b.label}:${b.value ?? b.url ?? ""}`} className="chip chip-static">
                  {b.label}
                </span>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
      {message.attachments.length > 0 ? (
        <ul className="desk-attachments">
          {message.attachments.map((a) => (
            <li key={a.id}>
              <a href={attachmentUrl(a.id)} target="_blank" rel="noreferrer">
                {a.fileName}
              </a>{" "}
              <span className="muted">{Math.max(1, Math.round(a.size / 1024))} KB</span>
            </li>
          ))}
        </ul>
      ) : null}
      {message.quickReplies.length > 0 ? (
        <div className="chips" title="Quick replies offered to the customer">
          {message.quickReplies.map((q) => (
            <span key={q.value} className="chip chip-static">
              {q.label}
            </span>
          ))}
        </div>
      ) : null}
      {message.editedAt ? <span className="desk-edited">edited</span> : null}
    </>
  );
}
