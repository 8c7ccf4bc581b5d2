import { z } from "zod";
import { ThreadEvent } from "./chat.js";
import { Conversation } from "./conversations.js";
import { Offer, Presence, SupervisorLive } from "./routing.js";

/**
 * The real-time WebSocket (`GET /v1/realtime`). The server sends thread events and control frames;
 * the client sends control frames. A client resumes after a reconnect by naming, per thread, the
 * last sequence it saw: as `?resumeFrom=<threadId>:<sequence>,...` or in a `resume` frame.
 */

export const ResumePoints = z.record(z.string(), z.number().int().min(0));
export type ResumePoints = z.infer<typeof ResumePoints>;

const LegId = z.string().min(1).max(64);
/** A session description (SDP) as the browser's `RTCSessionDescription.sdp`. */
const Sdp = z.string().min(1).max(12_000);

/**
 * Web calling (tokens with the `voip` scope). A browser that takes calls registers its socket; a call for its
 * identity then arrives as `call.incoming` with our SDP offer; the browser answers with its SDP answer (all
 * its ICE candidates gathered into it) or rejects; either side hangs up. Media flows browser to server
 * (WebRTC: ICE, DTLS-SRTP), never browser to browser.
 */
export const CallsRegisterFrame = z.object({
  type: z.literal("calls.register"),
  register: z.boolean().describe("true: calls for this identity ring this socket too; false: no longer"),
});
export const CallAnswerFrame = z.object({ type: z.literal("call.answer"), legId: LegId, sdp: Sdp });
export const CallRejectFrame = z.object({
  type: z.literal("call.reject"),
  legId: LegId,
  reason: z.enum(["declined", "busy", "media_refused"]).default("declined"),
});
export const CallHangupFrame = z.object({ type: z.literal("call.hangup"), legId: LegId });
/** The browser calls out: a number (E.164, or digits as a phone dials them) or an extension, with its SDP offer. */
export const CallPlaceFrame = z.object({
  type: z.literal("call.place"),
  requestId: z.string().min(1).max(64).describe("Echoed in `call.placing`, to match the answer to the request"),
  to: z.string().min(1).max(32),
  sdp: Sdp,
});

/**
 * A customer calls from their conversation (the widget's "call us"): the call joins the conversation's queue as a
 * phone call does, with the conversation as its context. Answered with `call.placing`; `call.connected` once the
 * media is up (the customer hears the queue's greeting and music until an agent answers).
 */
export const CallStartFrame = z.object({
  type: z.literal("call.start"),
  requestId: z.string().min(1).max(64).describe("Echoed in `call.placing`"),
  conversationId: z.string().min(1).max(64),
  sdp: Sdp,
});

export const ClientFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("resume"), from: ResumePoints }),
  z.object({ type: z.literal("ping"), id: z.string().max(64).optional() }),
  z.object({ type: z.literal("typing"), threadId: z.string().min(1).max(64) }),
  CallsRegisterFrame,
  CallAnswerFrame,
  CallRejectFrame,
  CallHangupFrame,
  CallPlaceFrame,
  CallStartFrame,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export const ReadyFrame = z.object({
  type: z.literal("ready"),
  connectionId: z.string(),
  identityId: z.string(),
  heartbeatMs: z.number().int().describe("The server pings this often; send a `ping` frame at least this often too"),
});
export const PongFrame = z.object({ type: z.literal("pong"), id: z.string().optional() });
export const ErrorFrame = z.object({
  type: z.literal("error"),
  code: z.string(),
  title: z.string(),
  detail: z.string().optional(),
});
export type ErrorFrame = z.infer<typeof ErrorFrame>;

/** Frames addressed to one identity (an agent, a customer, a supervisor), not to a thread's participants. */
export const OfferFrame = z.object({ type: z.literal("routing.offer"), offer: Offer });
export const OfferEndedFrame = z.object({
  type: z.literal("routing.offer_ended"),
  offerId: z.string(),
  outcome: z.enum(["accepted", "declined", "expired", "revoked"]),
});
export const PresenceFrame = z.object({ type: z.literal("routing.presence"), presence: Presence, load: z.number().int() });
export const ConversationUpdatedFrame = z.object({ type: z.literal("conversation.updated"), conversation: Conversation });
export const SupervisorLiveFrame = z.object({ type: z.literal("supervisor.live"), live: SupervisorLive });
export const IdentityFrame = z.discriminatedUnion("type", [
  OfferFrame,
  OfferEndedFrame,
  PresenceFrame,
  ConversationUpdatedFrame,
  SupervisorLiveFrame,
]);
export type IdentityFrame = z.infer<typeof IdentityFrame>;

/** The socket's registration for calls, as the server now holds it (the answer to `calls.register`). */
export const CallsRegisteredFrame = z.object({ type: z.literal("calls.registered"), registered: z.boolean() });
/** A call for this socket's identity: our SDP offer, to answer or reject before `call.ended` says it stopped ringing. */
export const CallIncomingFrame = z.object({
  type: z.literal("call.incoming"),
  legId: LegId,
  callId: z.string().describe("The call record (`/v1/calls/{callId}`) this leg belongs to"),
  offerId: z.string().nullable().describe("The routing offer this call answers, when it comes from a call queue"),
  from: z.object({ number: z.string().nullable(), name: z.string().nullable() }),
  queueName: z.string().nullable(),
  sdp: Sdp,
});
/** The answer to `call.place`: our SDP answer; the call now rings the other party (`call.connected` when it answers). */
export const CallPlacingFrame = z.object({
  type: z.literal("call.placing"),
  requestId: z.string(),
  legId: LegId,
  callId: z.string(),
  sdp: Sdp,
});
/** A call this browser placed into a queue (`call.start`) was taken by a person: who. */
export const CallAnsweredFrame = z.object({
  type: z.literal("call.answered"),
  legId: LegId,
  by: z.object({ name: z.string().nullable() }),
});
export const CallConnectedFrame = z.object({ type: z.literal("call.connected"), legId: LegId, callId: z.string() });
export const CallEndedFrame = z.object({
  type: z.literal("call.ended"),
  legId: LegId,
  reason: z
    .enum(["hangup", "remote_hangup", "cancelled", "answered_elsewhere", "timeout", "busy", "declined", "unreachable", "failed"])
    .describe(
      "hangup: this side hung up; remote_hangup: the other side did; cancelled: the caller gave up before an answer; answered_elsewhere: another device took it; timeout: nobody answered in time; busy, declined, unreachable: a call placed from the browser did not get through; failed: the media could not be set up",
    ),
  detail: z.string().optional(),
});
export const CallFrame = z.discriminatedUnion("type", [
  CallsRegisteredFrame,
  CallIncomingFrame,
  CallPlacingFrame,
  CallConnectedFrame,
  CallAnsweredFrame,
  CallEndedFrame,
]);
export type CallFrame = z.infer<typeof CallFrame>;
export type CallIncomingFrame = z.infer<typeof CallIncomingFrame>;
export type CallEndedFrame = z.infer<typeof CallEndedFrame>;

export const ServerFrame = z.union([ThreadEvent, ReadyFrame, PongFrame, ErrorFrame, IdentityFrame, CallFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
