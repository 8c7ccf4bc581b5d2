import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { WebPhones } from "@switchboard/telephony";
import type { FastifyPluginAsync } from "fastify";
import type { WebSocket } from "ws";
import { principalOf, requireAuthentication } from "../http/auth.js";
import type { RouteContext } from "../http/context.js";
import { toProblem } from "../http/problem.js";
import type { BrowserCalls } from "../telephony/browser-calls.js";
import { type CallSignaling, callSignaling } from "./call-signaling.js";
import { RealtimeConnection } from "./connection.js";
import type { RealtimeHub } from "./hub.js";

export interface RealtimeOptions {
  readonly hub: RealtimeHub;
  /** Browsers taking calls; undefined when the server runs without telephony. */
  readonly webPhones?: WebPhones;
  /** Calls placed from browsers; undefined without telephony. */
  readonly browserCalls?: BrowserCalls;
  readonly heartbeatMs: number;
  readonly onError: (error: unknown) => void;
}

const MAX_FRAME_BYTES = 16 * 1024;
/** WebSocket close code (private range) for "your access token expired; reconnect with a new one". */
export const TOKEN_EXPIRED = 4001;
const MAX_TIMER_MS = 2 ** 31 - 1;

const errorFrame = (error: unknown): string => {
  const p = toProblem(error);
  return JSON.stringify({ type: "error", code: p.code, title: p.title, ...(p.detail ? { detail: p.detail } : {}) });
};

/**
 * `GET /v1/realtime`: one WebSocket per client, carrying the events of every thread its identity is in.
 * Authentication and the resume points are checked before the upgrade, so a bad request gets a
 * plain HTTP problem response.
 */
export const realtimeRoute =
  (ctx: RouteContext, options: RealtimeOptions): FastifyPluginAsync =>
  async (app) => {
    app.get(
      "/v1/realtime",
      {
        websocket: true,
        onRequest: requireAuthentication(ctx.authenticator),
        preHandler: async (request) => {
          const principal = core.requireScope(principalOf(request), "chat");
          if (principal.kind !== "identity") {
            throw new core.DomainError(
              "realtime.identity_required",
              "forbidden",
              "The real-time socket needs an identity's access token.",
            );
          }
          const { resumeFrom } = request.query as { resumeFrom?: string };
          if (resumeFrom !== undefined && wire.parseResumeFrom(resumeFrom) === undefined) {
            throw core.invalid("realtime.invalid_resume", "resumeFrom is `<threadId>:<sequence>,...`.", [
              { field: "query.resumeFrom", message: "comma-separated threadId:sequence pairs" },
            ]);
          }
        },
        schema: { hide: true },
      },
      (socket: WebSocket, request) => {
        const principal = principalOf(request);
        if (principal.kind !== "identity") return;
        const connection = new RealtimeConnection(
          request.id,
          principal.tenantId,
          principal.identityId,
          {
            send: (frame) => {
              if (socket.readyState === socket.OPEN) socket.send(frame);
            },
            close: (code, reason) => socket.close(code, reason),
          },
          ctx.chat.chat,
          options.onError,
          principal.role === "supervisor" || principal.role === "admin",
          core.organizationOf(principal),
        );
        options.hub.attach(connection);
        const calls: CallSignaling = callSignaling(
          principal,
          connection,
          options.webPhones,
          options.browserCalls,
          ctx.conversation,
        );

        const resume = (points: wire.ResumePoints) =>
          connection.resume(async () => {
            // Named threads resume where the client left off; other threads it is in, from where it joined.
            const memberships = await ctx.chat.chat.membershipsOf(principal.tenantId, principal.identityId);
            return new Map(memberships.map((m) => [m.threadId, points[m.threadId] ?? m.joinedSequence - 1]));
          });

        // Heartbeat: a socket that has not answered the previous ping is dead.
        let alive = true;
        socket.on("pong", () => {
          alive = true;
        });
        const heartbeat = setInterval(() => {
          if (!alive) {
            socket.terminate();
            return;
          }
          alive = false;
          socket.ping();
        }, options.heartbeatMs);

        socket.on("message", (data, isBinary) => {
          alive = true;
          const text = isBinary ? "" : data.toString();
          if (text.length === 0 || text.length > MAX_FRAME_BYTES) {
            connection.sendFrame(errorFrame(core.invalid("realtime.invalid_frame", "Frames are JSON text up to 16 KiB.")));
            return;
          }
          let frame: wire.ClientFrame;
          try {
            frame = wire.ClientFrame.parse(JSON.parse(text));
          } catch {
            connection.sendFrame(errorFrame(core.invalid("realtime.invalid_frame", "Unknown or malformed frame.")));
            return;
          }
          switch (frame.type) {
            case "ping":
              connection.sendFrame(JSON.stringify({ type: "pong", ...(frame.id ? { id: frame.id } : {}) }));
              break;
            case "resume":
              resume(frame.from).catch((error) => connection.sendFrame(errorFrame(error)));
              break;
            case "typing":
              core.sendTyping(ctx.chat, principal, frame.threadId).catch((error) => connection.sendFrame(errorFrame(error)));
              break;
            default:
              calls.handle(frame).catch((error) => connection.sendFrame(errorFrame(error)));
              break;
          }
        });
        // A socket lives no longer than its token: the client reconnects with a fresh one.
        const expiry = principal.expiresAt
          ? setTimeout(
              () => socket.close(TOKEN_EXPIRED, "access token expired"),
              Math.min(Math.max(principal.expiresAt.getTime() - Date.now(), 0), MAX_TIMER_MS),
            )
          : undefined;

        socket.on("close", () => {
          clearInterval(heartbeat);
          clearTimeout(expiry);
          calls.close();
          options.hub.detach(connection);
        });
        socket.on("error", options.onError);

        connection.sendFrame(
          JSON.stringify({
            type: "ready",
            connectionId: connection.id,
            identityId: principal.identityId,
            heartbeatMs: options.heartbeatMs,
          }),
        );
        const { resumeFrom } = request.query as { resumeFrom?: string };
        if (resumeFrom !== undefined) {
          resume(wire.parseResumeFrom(resumeFrom) ?? {}).catch((error) => connection.sendFrame(errorFrame(error)));
        }
      },
    );
  };
