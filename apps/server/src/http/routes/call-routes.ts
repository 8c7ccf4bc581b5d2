import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { sendRecording } from "../recording-download.js";
import { callEventView, callRecordView } from "../views.js";

const IdParams = z.object({ id: wire.Id });
const tags = ["calls"];

/** Call records with their legs and timelines (supervisors and admins); the SIP server writes them. */
export const callRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));

    app.get(
      "/v1/calls",
      {
        schema: {
          tags,
          summary: "Call records, newest first, with their legs (supervisors and admins)",
          querystring: wire.CallRecordQuery,
          response: { 200: wire.CallRecordPage },
        },
      },
      async (request) => {
        const { after, limit, since, until, ...filter } = request.query;
        const page = await core.listCallRecords(
          ctx.callRecords,
          principalOf(request),
          { ...filter, ...(since ? { since: new Date(since) } : {}), ...(until ? { until: new Date(until) } : {}) },
          { limit, ...(after ? { after } : {}) },
        );
        return { items: page.items.map(callRecordView), next: page.next };
      },
    );

    app.get(
      "/v1/calls/:id",
      {
        schema: {
          tags,
          summary: "A call record with its legs (supervisors and admins)",
          params: IdParams,
          response: { 200: wire.CallRecord },
        },
      },
      async (request) => callRecordView(await core.getCallRecord(ctx.callRecords, principalOf(request), request.params.id)),
    );

    app.get(
      "/v1/calls/:id/events",
      {
        schema: {
          tags,
          summary: "What happened on a call, in order: prompts, keys, recordings, bridges, transfers (supervisors and admins)",
          params: IdParams,
          querystring: wire.CallEventQuery,
          response: { 200: z.object({ items: z.array(wire.CallEvent) }) },
        },
      },
      async (request) => {
        const events = await core.callTimeline(ctx.callRecords, principalOf(request), request.params.id, request.query);
        return { items: events.map(callEventView) };
      },
    );

    app.get(
      "/v1/calls/:id/recordings/:recordingId",
      {
        schema: {
          tags,
          summary: "Download a recording made on a call, as WAV (8 kHz, 16-bit; supervisors and admins)",
          params: z.object({ id: wire.Id, recordingId: wire.Id }),
        },
      },
      async (request, reply) => {
        const call = await core.getCallRecord(ctx.callRecords, principalOf(request), request.params.id);
        const { recordingId } = request.params;
        if (!call.recordingIds.includes(recordingId)) throw core.notFound("recording", recordingId);
        return sendRecording(reply, ctx.recordings, call.tenantId, recordingId);
      },
    );
  };
