import { useNow } from "../../shell/data/use-now.js";
import { DeskPhoneIcon, PhoneIncomingIcon } from "../../shell/ui/icons.js";
import type { PendingOffer } from "../desk/desk-state.js";
import { countdown, formatCountdown } from "../offers/offer-countdown.js";
import { callerLabel, type VoiceOfferMode } from "./call-state.js";

/**
 * An incoming phone call from a call queue: the caller, the queue, the time left. Accept answers the call in
 * this browser; when the call does not ring here (calls not on this computer), the desk phone rings instead
 * and the card says so.
 */
export function CallOfferCard({
  pending,
  mode,
  first,
  busy,
  onAccept,
  onDecline,
}: {
  pending: PendingOffer;
  mode: VoiceOfferMode;
  first: boolean;
  busy: boolean;
  onAccept: () => void;
  onDecline: () => void;
}) {
  const now = useNow(250);
  const { offer, clock } = pending;
  const left = countdown(clock, now);
  // A customer calling from the website's chat (the widget's "call us"), not a phone: no number to show.
  const webCall = Boolean(offer.call?.conversationId);
  const label = mode.kind === "desk_phone" ? callerLabel(offer.call?.from ?? null) : callerLabel(mode.call.from);
  const from = webCall && label.startsWith("browser:") ? "Website visitor" : label;
  const number = webCall ? null : mode.kind === "desk_phone" ? offer.call?.from : mode.call.from.number;
  const titleId = `offer-${offer.id}-title`;
  const answering = mode.kind === "answering";

  return (
    <section
      className={`offer-card offer-card-call${left.urgent ? " offer-card-urgent" : ""}${left.expired ? " offer-card-expired" : ""}`}
      aria-labelledby={titleId}
      data-offer-id={offer.id}
      data-call-id={offer.call?.id}
      data-conversation-id={offer.call?.conversationId ?? undefined}
    >
      <div className="offer-head">
        <span className="offer-icon offer-icon-call" aria-hidden="true">
          <PhoneIncomingIcon size={18} />
        </span>
        <div className="offer-title-block">
          <span className="offer-kicker">
            {webCall ? "Web call" : "Incoming call"} · {offer.queueName}
          </span>
          <h2 className="offer-title" id={titleId}>
            {from}
          </h2>
        </div>
        <div className="offer-timer" role="timer" aria-label={`${left.seconds} seconds left to answer`}>
          {left.expired ? "Expired" : formatCountdown(left.seconds)}
        </div>
      </div>
      <div className="offer-tags">
        <span className="tag tag-accent">{webCall ? "Web call from the chat" : "Phone call"}</span>
        {number && number !== from ? <span className="tag call-number">{number}</span> : null}
        {mode.kind === "desk_phone" ? (
          <span className="tag call-desk-phone">
            <DeskPhoneIcon size={13} /> Ringing your desk phone
          </span>
        ) : null}
      </div>
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
      <div className="offer-actions">
        {mode.kind === "desk_phone" ? <p className="call-offer-hint">Pick up your desk phone to take it.</p> : null}
        <button
          type="button"
          className="btn"
          onClick={onDecline}
          disabled={busy || answering || left.expired}
          title={first ? "Decline (Alt D)" : "Decline"}
        >
          Decline
        </button>
        {mode.kind === "desk_phone" ? null : (
          <button
            type="button"
            className="btn btn-primary offer-accept"
            onClick={onAccept}
            disabled={busy || answering || left.expired}
            title={first ? "Accept (Alt A)" : "Accept"}
          >
            {answering ? (
              <>
                <span className="spinner spinner-sm spinner-on-accent" aria-hidden="true" /> Connecting…
              </>
            ) : (
              <>
                Accept
                {first ? <kbd className="kbd kbd-on-accent">Alt A</kbd> : null}
              </>
            )}
          </button>
        )}
      </div>
    </section>
  );
}
