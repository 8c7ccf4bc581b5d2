import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";

const CallParams = z.object({ id: wire.Id });
const PartyParams = z.object({ id: wire.Id, legId: z.string().min(1).max(64) });
const tags = ["live calls"];

const view = (call: core.LiveCallControl): wire.LiveCall => ({ callId: call.callId, ...call.state }) as wire.LiveCall;

/** The call as it is after a control: null once it left its connection (handed back to the flows, or over). */
const after = (call: core.LiveCallControl): wire.LiveCall | null => (call.over ? null : view(call));

/**
 * Connected calls, while they last: hold, mute, transfer (blind or after a consultation), add and remove
 * participants, record. The agents on the call, supervisors and admins may control it. Transfers and
 * participants answer once the target answered or failed (up to its ring time).
 */
export const liveCallRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));
    const live = (principal: core.Principal, callId: string) => core.liveCall(ctx.liveCalls, principal, callId);

    app.get(
      "/v1/calls/:id/live",
      {
        schema: {
          tags,
          summary: "A connected call: its parties, hold, consultation and recording (404 `call.not_connected` otherwise)",
          params: CallParams,
          response: { 200: wire.LiveCall },
        },
      },
      async (request) => view(live(principalOf(request), request.params.id)),
    );

    app.delete(
      "/v1/calls/:id/live",
      { schema: { tags, summary: "Hang up a connected call for everyone", params: CallParams } },
      async (request, reply) => {
        await live(principalOf(request), request.params.id).hangup("hung up through the API");
        return reply.code(204).send();
      },
    );

    app.post(
      "/v1/calls/:id/hold",
      {
        schema: {
          tags,
          summary: "Put the caller on hold (music) or take them back",
          params: CallParams,
          body: wire.LiveCallHold,
          response: { 200: wire.LiveCall },
        },
      },
      async (request) => {
        const call = live(principalOf(request), request.params.id);
        await (request.body.held ? call.hold() : call.resume());
        return view(call);
      },
    );

    app.post(
      "/v1/calls/:id/parties/:legId/mute",
      {
        schema: {
          tags,
          summary: "Mute a party (the others no longer hear it, nor does the recording) or unmute it",
          params: PartyParams,
          body: wire.LiveCallMute,
          response: { 200: wire.LiveCall },
        },
      },
      async (request) => {
        const call = live(principalOf(request), request.params.id);
        await call.mute(request.params.legId, request.body.muted);
        return view(call);
      },
    );

    app.post(
      "/v1/calls/:id/parties",
      {
        schema: {
          tags,
          summary: "Ring a person or a number and add them to the call once they answer (an expert)",
          params: CallParams,
          body: wire.LiveCallParticipant,
          response: { 200: wire.LiveCallOutcome },
        },
      },
      async (request) => {
        const call = live(principalOf(request), request.params.id);
        const outcome = await core.addLiveCallParticipant(ctx.flows, call, request.body.target);
        return { outcome, call: after(call) };
      },
    );

    app.delete(
      "/v1/calls/:id/parties/:legId",
      { schema: { tags, summary: "Hang up a participant", params: PartyParams } },
      async (request, reply) => {
        await live(principalOf(request), request.params.id).removeParticipant(request.params.legId);
        return reply.code(204).send();
      },
    );

    app.post(
      "/v1/calls/:id/transfer",
      {
        schema: {
          tags,
          summary:
            "Transfer the caller: blind to a person, a number, a queue, an auto attendant or a mailbox; or consult a person or number first",
          params: CallParams,
          body: wire.LiveCallTransfer,
          response: { 200: wire.LiveCallOutcome },
        },
      },
      async (request) => {
        const call = live(principalOf(request), request.params.id);
        const outcome = await core.transferLiveCall(ctx.flows, call, request.body.target, request.body.mode);
        return { outcome, call: after(call) };
      },
    );

    app.post(
      "/v1/calls/:id/consultation",
      {
        schema: {
          tags,
          summary: "End a consultation: complete the transfer, cancel it, or merge everyone into one call",
          params: CallParams,
          body: wire.LiveCallConsultation,
          response: { 200: wire.LiveCallOutcome },
        },
      },
      async (request) => {
        const call = live(principalOf(request), request.params.id);
        const action = request.body.action;
        await (action === "complete"
          ? call.completeConsultation()
          : action === "cancel"
            ? call.cancelConsultation()
            : call.mergeConsultation());
        return { outcome: "succeeded" as const, call: after(call) };
      },
    );

    app.post(
      "/v1/calls/:id/recording",
      {
        schema: {
          tags,
          summary: "Start (after a consent announcement), pause, resume or stop recording the call",
          params: CallParams,
          body: wire.LiveCallRecording,
          response: { 200: wire.LiveCallRecordingResult },
        },
      },
      async (request) => {
        const call = live(principalOf(request), request.params.id);
        const { action, consent } = request.body;
        let recordingId: string | null = null;
        if (action === "start") await call.startRecording(consent ? {} : { consent: false });
        else if (action === "pause") await call.pauseRecording();
        else if (action === "resume") await call.resumeRecording();
        else recordingId = (await call.stopRecording())?.id ?? null;
        return { recording: call.state.recording, recordingId };
      },
    );
  };
