import * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import { decodeWav } from "@switchboard/speech";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAuthentication } from "../auth.js";
import type { RouteContext } from "../context.js";
import { sendRecording } from "../recording-download.js";

/** A WAV file of ten minutes of CD audio is about 100 MiB: the largest upload taken. */
const MAX_UPLOAD_BYTES = 110 * 1024 * 1024;
const WAV_TYPES = ["audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave"];

/**
 * Uploaded audio for greetings, announcements and hold music: the WAV file as the body (any rate, mono or
 * stereo, PCM, float, µ-law or A-law), converted to telephone audio (8 kHz mono) and kept as a recording.
 */
export const recordingRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook("onRequest", requireAuthentication(ctx.authenticator));
    app.addContentTypeParser(WAV_TYPES, { parseAs: "buffer", bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) =>
      done(null, body),
    );

    app.post(
      "/v1/recordings",
      {
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          tags: ["auto attendants"],
          summary: "Upload audio (a WAV file as the body, Content-Type audio/wav) for a greeting, announcement or hold music",
          response: { 201: wire.UploadedRecording },
        },
      },
      async (request, reply) => {
        const bytes = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : new Uint8Array();
        const recording = await core.uploadRecording(ctx.recordings, principalOf(request), decodeWav(bytes));
        return reply
          .code(201)
          .send({ id: recording.id, durationMs: recording.durationMs, createdAt: recording.createdAt.toISOString() });
      },
    );

    app.get(
      "/v1/recordings",
      {
        schema: {
          tags: ["recordings"],
          summary:
            "The tenant's recordings, newest first: recorded calls, callers' messages, uploaded audio (supervisors and admins)",
          querystring: wire.RecordingQuery,
          response: { 200: wire.RecordingPage },
        },
      },
      async (request) => {
        const { after, limit, before, kind, callId } = request.query;
        const page = await core.listRecordings(
          ctx.recordingLibrary,
          principalOf(request),
          { ...(kind ? { kind } : {}), ...(callId ? { callId } : {}), ...(before ? { before: new Date(before) } : {}) },
          { limit, ...(after ? { after } : {}) },
        );
        return { items: page.items.map(recordingView), next: page.next };
      },
    );

    app.get(
      "/v1/recordings/:id",
      {
        schema: {
          tags: ["recordings"],
          summary: "What a recording is: its kind, call, length and time (supervisors and admins)",
          params: z.object({ id: wire.Id }),
          response: { 200: wire.RecordingInfo },
        },
      },
      async (request) => recordingView(await core.getRecording(ctx.recordingLibrary, principalOf(request), request.params.id)),
    );

    app.delete(
      "/v1/recordings/:id",
      {
        schema: {
          tags: ["recordings"],
          summary: "Delete a recording and its audio (admins); flows or messages naming it no longer play it",
          params: z.object({ id: wire.Id }),
        },
      },
      async (request, reply) => {
        await core.deleteRecording(ctx.recordingLibrary, principalOf(request), request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      "/v1/recording-retention",
      {
        schema: {
          tags: ["recordings"],
          summary: "How long call recordings are kept (admins)",
          response: { 200: wire.RecordingRetention },
        },
      },
      async (request) => ({ retentionDays: await core.recordingRetention(ctx.recordingLibrary, principalOf(request)) }),
    );

    app.put(
      "/v1/recording-retention",
      {
        schema: {
          tags: ["recordings"],
          summary: "Keep call recordings N days (1-3650), then delete them; null keeps them for ever (admins)",
          body: wire.RecordingRetention,
          response: { 200: wire.RecordingRetention },
        },
      },
      async (request) => ({
        retentionDays: await core.setRecordingRetention(ctx.recordingLibrary, principalOf(request), request.body.retentionDays),
      }),
    );

    app.get(
      "/v1/recordings/:id/audio",
      {
        schema: {
          tags: ["auto attendants"],
          summary:
            "Download a recording of the tenant as WAV (8 kHz, 16-bit mono): uploaded audio, or one made on a call (admins)",
          params: z.object({ id: wire.Id }),
        },
      },
      async (request, reply) => {
        const { tenantId } = core.requireAdmin(principalOf(request));
        return sendRecording(reply, ctx.recordings, tenantId, request.params.id);
      },
    );
  };

const recordingView = (r: core.Recording): wire.RecordingInfo => ({
  id: r.id,
  kind: r.kind,
  callId: r.callId ?? null,
  durationMs: r.durationMs,
  createdAt: r.createdAt.toISOString(),
});
