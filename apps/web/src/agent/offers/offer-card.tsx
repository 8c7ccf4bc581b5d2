import { customerLabel, handoffReason, intentLabel } from "../../shell/conversations/conversation-labels.js";
import { useNow } from "../../shell/data/use-now.js";
import { ErrorNotice } from "../../shell/ui/feedback.js";
import { ChatIcon, ShieldIcon } from "../../shell/ui/icons.js";
import type { PendingOffer } from "../desk/desk-state.js";
import { countdown, formatCountdown } from "./offer-countdown.js";

/**
 * An incoming chat: who, why, what the bot found out, and how long is left to take it. The first offer gets
 * the keyboard shortcuts (Alt A, Alt D).
 */
export function OfferCard({
  pending,
  first,
  busy,
  error,
  onAccept,
  onDecline,
}: {
  pending: PendingOffer;
  first: boolean;
  busy: boolean;
  error: unknown;
  onAccept: () => void;
  onDecline: () => void;
}) {
  const now = useNow(250);
  const { offer, clock } = pending;
  const left = countdown(clock, now);
  const { conversation } = offer;
  // A phone call's offer has no conversation: the desk shows a CallOfferCard for it instead.
  if (!conversation) return null;
  const handoff = conversation.handoff;
  const name = customerLabel(conversation);
  const titleId = `offer-${offer.id}-title`;

  return (
    <section
      className={`offer-card${left.urgent ? " offer-card-urgent" : ""}${left.expired ? " offer-card-expired" : ""}`}
      aria-labelledby={titleId}
      data-offer-id={offer.id}
      data-conversation-id={offer.conversationId}
    >
      <div className="offer-head">
        <span className="offer-icon" aria-hidden="true">
          <ChatIcon size={18} />
        </span>
        <div className="offer-title-block">
          <span className="offer-kicker">Incoming chat · {offer.queueName}</span>
          <h2 className="offer-title" id={titleId}>
            {name}
          </h2>
        </div>
        <div className="offer-timer" role="timer" aria-label={`${left.seconds} seconds left to accept`}>
          {left.expired ? "Expired" : formatCountdown(left.seconds)}
        </div>
      </div>
      <div className="offer-tags">
        {conversation.verified ? (
          <span className="tag tag-success">
            <ShieldIcon size={13} /> Verified
          </span>
        ) : (
          <span className="tag">Not verified</span>
        )}
        {conversation.intent ? <span className="tag tag-accent">{intentLabel(conversation.intent)}</span> : null}
        {handoff ? <span className="tag">{handoffReason(handoff.reason)}</span> : null}
      </div>
      {handoff?.summary ? (
        <p className="offer-summary" title={handoff.summary}>
          {handoff.summary}
        </p>
      ) : null}
      <div
        className="offer-bar"
        role="progressbar"
        aria-label="Time left"
        aria-valuemin={0}
        aria-valuemax={Math.round(clock.total / 1000)}
        aria-valuenow={left.seconds}
      >
        <span style={{ transform: `scaleX(${left.fraction})` }} />
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <div className="offer-actions">
        <button
          type="button"
          className="btn"
          onClick={onDecline}
          disabled={busy || left.expired}
          title={first ? "Decline (Alt D)" : "Decline"}
        >
          Decline
        </button>
        <button
          type="button"
          className="btn btn-primary offer-accept"
          onClick={onAccept}
          disabled={busy || left.expired}
          title={first ? "Accept (Alt A)" : "Accept"}
        >
          Accept
          {first ? <kbd className="kbd kbd-on-accent">Alt A</kbd> : null}
        </button>
      </div>
    </section>
  );
}
