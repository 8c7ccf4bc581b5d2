import { z } from "zod";
import { ThreadEvent } from "./chat.js";

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

export const ServerFrame = z.union([ThreadEvent, ReadyFrame, PongFrame, ErrorFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
