import * as core from "@switchboard/core";
import type * as wire from "@switchboard/protocol";
import type { WebPhone, WebPhoneReply, WebPhones } from "@switchboard/telephony";
import type { BrowserCalls } from "../telephony/browser-calls.js";
import type { RealtimeConnection } from "./connection.js";

type CallClientFrame = Extract<
  wire.ClientFrame,
  { type: "calls.register" | "call.answer" | "call.reject" | "call.hangup" | "call.place" | "call.start" }
>;

/** One socket's part in web calling: its registration for calls, and the answers, refusals and hang-ups it sends. */
export interface CallSignaling {
  handle(frame: CallClientFrame): Promise<void>;
  /** The socket closed: it no longer takes calls (a connected call goes on; its media does not need the socket). */
  close(): void;
}

const unavailable = () =>
  new core.DomainError("calls.unavailable", "unavailable", "This server runs without telephony: it takes no calls.");

const unknownLeg = () =>
  new core.DomainError("call.unknown_leg", "not_found", "No call with that leg is ringing or connected on this socket.");

/**
 * The `voip` frames of the real-time socket (see `wire.ClientFrame`): a signed-in user's socket registers to
 * take calls, answers, rejects or hangs up the legs that ring it, and places calls of its own. Each refusal is an error frame with a
 * stable code; nothing here trusts the browser with another socket's leg.
 */
export function callSignaling(
  principal: core.Principal,
  connection: RealtimeConnection,
  webPhones: WebPhones | undefined,
  browserCalls: BrowserCalls | undefined,
  conversations: core.ConversationDeps,
): CallSignaling {
  const send = (frame: wire.CallFrame) => connection.sendFrame(JSON.stringify(frame));
  const phone: WebPhone = {
    id: connection.id,
    ring: (invite) => send({ type: "call.incoming", ...invite }),
    placing: (requestId, legId, callId, sdp) => send({ type: "call.placing", requestId, legId, callId, sdp }),
    connected: (legId, callId) => send({ type: "call.connected", legId, callId }),
    answered: (legId, by) => send({ type: "call.answered", legId, by: { name: by.name } }),
    ended: (legId, reason, detail) => send({ type: "call.ended", legId, reason, ...(detail ? { detail } : {}) }),
  };
  let registered = false;
  const { tenantId, identityId } = connection;

  const phones = (): WebPhones => {
    core.requireScope(principal, "voip");
    if (!webPhones) throw unavailable();
    return webPhones;
  };
  const check = (reply: WebPhoneReply) => {
    if (!reply.ok) throw unknownLeg();
  };

  return {
    async handle(frame) {
      const calls = phones();
      switch (frame.type) {
        case "calls.register":
          if (frame.register) {
            if (principal.kind !== "identity" || principal.userId === undefined) {
              throw core.forbidden("calls.user_required", "Only a signed-in user (an agent) takes calls on a socket.");
            }
            calls.register(tenantId, identityId, phone);
          } else {
            calls.unregister(tenantId, identityId, phone.id);
          }
          registered = frame.register;
          send({ type: "calls.registered", registered });
          return;
        case "call.answer":
          check(await calls.answer(phone.id, frame.legId, frame.sdp));
          return;
        case "call.reject":
          check(calls.reject(phone.id, frame.legId, frame.reason));
          return;
        case "call.hangup":
          check(await calls.hangup(tenantId, identityId, phone.id, frame.legId));
          return;
        case "call.place":
          if (!browserCalls) throw unavailable();
          if (principal.kind !== "identity" || principal.userId === undefined) {
            throw core.forbidden("calls.user_required", "Only a signed-in user (an agent) places calls.");
          }
          await browserCalls.place({ tenantId, identityId, phone, requestId: frame.requestId, to: frame.to, sdp: frame.sdp });
          return;
        case "call.start": {
          if (!browserCalls) throw unavailable();
          const { conversation } = await core.accessConversation(conversations, principal, frame.conversationId);
          await browserCalls.start({ tenantId, identityId, phone, requestId: frame.requestId, conversation, sdp: frame.sdp });
          return;
        }
      }
    },
    close() {
      if (registered) webPhones?.unregister(tenantId, identityId, phone.id);
      registered = false;
    },
  };
}
