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

export const ClientFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("resume"), from: ResumePoints }),
  z.object({ type: z.literal("ping"), id: z.string().max(64).optional() }),
  z.object({ type: z.literal("typing"), threadId: z.string().min(1).max(64) }),
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

export const ServerFrame = z.union([ThreadEvent, ReadyFrame, PongFrame, ErrorFrame, IdentityFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
