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
