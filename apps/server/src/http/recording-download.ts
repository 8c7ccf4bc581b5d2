import { notFound } from "@switchboard/core";
import type { FastifyReply } from "fastify";
import type { RouteContext } from "./context.js";

/**
 * Answers with a recording as a WAV download (8 kHz, 16-bit), or fails with `recording.not_found`: the one
 * way every route that serves a recording (a call's, a voicemail message's) sends it. The caller has
 * checked the principal may hear it.
 */
export async function sendRecording(
  reply: FastifyReply,
  recordings: RouteContext["recordings"],
  tenantId: string,
  recordingId: string,
): Promise<FastifyReply> {
  const wav = await recordings.wav(tenantId, recordingId);
  if (!wav) throw notFound("recording", recordingId);
  return reply
    .type("audio/wav")
    .header("content-disposition", `attachment; filename="${recordingId}.wav"`)
    .header("cache-control", "private, max-age=3600")
    .send(Buffer.from(wav));
}
