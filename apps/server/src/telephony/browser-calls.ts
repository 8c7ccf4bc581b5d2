import * as core from "@switchboard/core";
import { MEDIA_NOT_CONNECTED, type WebPhone, type WebPhones, type WebRtcLeg } from "@switchboard/telephony";
import type { CallEntry, CallLog } from "./call-log.js";

export interface BrowserCallsDeps {
  readonly log: CallLog;
  readonly dialer: core.Dialer;
  readonly webPhones: WebPhones;
  /** A new browser leg, with the deployment's media settings. */
  newLeg(): WebRtcLeg;
  /** Makes a connected browser leg one a flow or a connection can drive. */
  mediaFor(
    leg: WebRtcLeg,
    ids: { readonly legId: string; readonly tenantId: string; readonly callId: string },
  ): core.CallLegMedia;
  /** The agent's own phone account (their extension is the caller ID on internal calls), if any. */
  accountOf(tenantId: string, identityId: string): Promise<{ extension: string; displayName: string } | undefined>;
  /** Connects the two parties for as long as they talk, controllable through the API. */
  connect(
    entry: CallEntry,
    caller: core.CallLegMedia,
    party: core.PartyInput,
    dial: Omit<core.DialOptions, "abandon">,
  ): Promise<void>;
  /** The tenant's queue by name (a conversation names its queue so). */
  queueByName(tenantId: string, name: string): Promise<core.Queue | undefined>;
  /** Runs a call from a flow's start (a web call: its conversation's queue) to its end, then ends its record. */
  runFlow(
    start: core.NumberEntry,
    media: core.CallLegMedia,
    entry: CallEntry,
    caller: string,
    onConnected?: (connection: core.CallConnection<core.CallTarget>) => void,
  ): Promise<void>;
  /** A person's display name (the agent who took a customer's call). */
  nameOf(tenantId: string, identityId: string): Promise<string | undefined>;
  newId(): string;
  /** How long ICE and DTLS may take before the browser's leg counts as failed. */
  readonly mediaTimeoutMs?: number;
}

export interface PlaceCall {
  readonly tenantId: string;
  readonly identityId: string;
  readonly phone: WebPhone;
  readonly requestId: string;
  readonly to: string;
  readonly sdp: string;
}

/** A customer's call from their conversation (the widget's "call us"). */
export interface StartCall {
  readonly tenantId: string;
  readonly identityId: string;
  readonly phone: WebPhone;
  readonly requestId: string;
  readonly conversation: core.Conversation;
  readonly sdp: string;
}

/** Our answer to the browser's offer; a refused offer releases the leg and says why. */
async function answerOffer(leg: WebRtcLeg, sdp: string): Promise<{ sdp: string }> {
  const answer = await leg.answer(sdp);
  if (answer.ok) return answer;
  await leg.hangup();
  throw new core.DomainError("call.offer_refused", "invalid", `The call's offer was refused: ${answer.reason}.`);
}

/** What the browser is told when the call it placed did not get through. */
const END_OF: Record<core.DialFailure, "busy" | "declined" | "timeout" | "unreachable" | "cancelled"> = {
  busy: "busy",
  rejected: "declined",
  "no-answer": "timeout",
  "not-registered": "unreachable",
  unreachable: "unreachable",
  cancelled: "cancelled",
};

/**
 * Calls placed from the browser (an agent desktop calling a number or a colleague's extension): the browser's
 * offer is answered at once (`call.placing`), its media comes up, then the other party is dialled as a flow
 * dials (an extension's phones and desktops, a number through the tenant's trunk) and, answered, the two are
 * connected like any call, on the API's live calls. The call's record has the browser's leg as the caller's.
 */
export class BrowserCalls {
  constructor(private readonly deps: BrowserCallsDeps) {}

  /** Answers the browser's offer and places the call; refusals (a bad number, an offer we cannot take) throw before. */
  async place(request: PlaceCall): Promise<void> {
    const target = core.readDialled(request.to.replace(/[\s().-]/g, ""), "phone");
    if (target === undefined) {
      throw core.invalid("call.invalid_target", "Call a number (+15550100) or an extension (1001).", [
        { field: "to", message: "a number or an extension" },
      ]);
    }
    const { deps } = this;
    const legId = deps.newId();
    const leg = deps.newLeg();
    const answer = await answerOffer(leg, request.sdp);
    const account = await deps.accountOf(request.tenantId, request.identityId).catch(() => undefined);
    const callId = deps.newId();
    const entry = deps.log.start({
      id: callId,
      tenantId: request.tenantId,
      direction: target.kind === "extension" ? "internal" : "outbound",
      from: account?.extension ?? `browser:${request.identityId}`,
      to: target.kind === "extension" ? target.extension : target.e164,
      leg: { id: legId, role: "caller", party: `browser:${request.identityId}`, sipCallId: legId, protocol: "webrtc" },
    });
    deps.webPhones.track(request.tenantId, request.identityId, request.phone, legId, leg);
    void this.run(request, { legId, callId, leg, entry, target, account }).catch(async (error: unknown) => {
      await deps.webPhones.end(legId, "failed", error instanceof Error ? error.message : String(error));
      await entry.ended("failed", { by: "platform", reason: "the call could not be placed" });
    });
    request.phone.placing(request.requestId, legId, callId, answer.sdp);
  }

  /**
   * A customer calls from their conversation: the call waits in the conversation's queue as a phone call does
   * (greeting, music, announcements, an agent's desktop or phone rings), with the conversation as its context:
   * the offer names it, so the agent sees the chat that came before.
   */
  async start(request: StartCall): Promise<void> {
    const { deps } = this;
    const { conversation } = request;
    if (conversation.customerIdentityId !== request.identityId) {
      throw core.forbidden("call.customer_only", "Only the conversation's customer calls from it.");
    }
    if (conversation.status === "resolved") {
      throw new core.DomainError("call.conversation_ended", "conflict", "The conversation has ended: start a new one to call.");
    }
    const queue = await deps.queueByName(request.tenantId, conversation.queue);
    if (!queue) throw core.notFound("queue", conversation.queue);
    const legId = deps.newId();
    const leg = deps.newLeg();
    const answer = await answerOffer(leg, request.sdp);
    const callId = deps.newId();
    const caller = conversation.handoff?.customer.name ?? "Web visitor";
    const start: core.NumberEntry = { kind: "queue", queueId: queue.id };
    const entry = deps.log.start({
      id: callId,
      tenantId: request.tenantId,
      direction: "inbound",
      from: caller,
      to: core.conversationCallee(conversation.id),
      entry: `queue:${queue.id}`,
      leg: { id: legId, role: "caller", party: `browser:${request.identityId}`, sipCallId: legId, protocol: "webrtc" },
    });
    entry.note("call.from_conversation", { conversationId: conversation.id, entryPointId: conversation.entryPointId });
    deps.webPhones.track(request.tenantId, request.identityId, request.phone, legId, leg);
    request.phone.placing(request.requestId, legId, callId, answer.sdp);
    void (async () => {
      if (!(await this.mediaUp(legId, leg, entry))) return;
      const media = deps.mediaFor(leg, { legId, tenantId: request.tenantId, callId });
      entry.answered();
      entry.legAnswered(legId);
      request.phone.connected(legId, callId);
      // The customer is told who took the call (the widget shows "On a call with Ana").
      await deps.runFlow(start, media, entry, caller, (connection) => {
        const agent = connection.state.parties.find((p) => p.role !== "caller" && p.identityId !== null);
        const named = agent?.identityId ? deps.nameOf(request.tenantId, agent.identityId) : Promise.resolve(undefined);
        void named.catch(() => undefined).then((name) => request.phone.answered(legId, { name: name ?? null }));
      });
    })().catch(async (error: unknown) => {
      await deps.webPhones.end(legId, "failed", error instanceof Error ? error.message : String(error));
      await entry.ended("failed", { by: "platform", reason: "the call could not be placed" });
    });
  }

  /** Waits for the browser's media (ICE and DTLS); not up in time, the browser is told why and the call ends. */
  private async mediaUp(legId: string, leg: WebRtcLeg, entry: CallEntry): Promise<boolean> {
    if (await leg.whenConnected(this.deps.mediaTimeoutMs ?? 10_000)) return true;
    await this.deps.webPhones.end(legId, "failed", MEDIA_NOT_CONNECTED);
    await entry.ended("failed", { by: "platform", reason: "the browser's media did not connect" });
    return false;
  }

  private async run(
    request: PlaceCall,
    call: {
      legId: string;
      callId: string;
      leg: WebRtcLeg;
      entry: CallEntry;
      target: core.DialTarget;
      account: { extension: string; displayName: string } | undefined;
    },
  ): Promise<void> {
    const { deps } = this;
    const { legId, callId, leg, entry, target, account } = call;
    if (!(await this.mediaUp(legId, leg, entry))) return;
    const caller = deps.mediaFor(leg, { legId, tenantId: request.tenantId, callId });
    const dial = {
      tenantId: request.tenantId,
      callId,
      ...(account ? { callerId: account.extension, callerName: account.displayName } : {}),
    };
    const outcome = await deps.dialer.dial(target, { ...dial, abandon: caller.ended });
    if (!outcome.ok) {
      const reason = END_OF[outcome.failure];
      await deps.webPhones.end(legId, reason);
      const result =
        outcome.failure === "cancelled" ? "abandoned" : reason === "busy" || reason === "declined" ? "rejected" : "missed";
      await entry.ended(result, {
        by: outcome.failure === "cancelled" ? "caller" : "callee",
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
        reason: outcome.failure,
      });
      return;
    }
    entry.answered();
    entry.legAnswered(legId);
    request.phone.connected(legId, callId);
    await deps.connect(
      entry,
      caller,
      { leg: outcome.leg, ...(outcome.extension === undefined ? {} : { extension: outcome.extension }) },
      dial,
    );
    const end = await caller.ended;
    await entry.ended("completed", { by: end.by === "party" ? "caller" : "callee", reason: end.reason });
  }
}
