import * as core from "@switchboard/core";
import { type SwitchboardClient, SwitchboardError } from "@switchboard/sdk";
import { encodeWav } from "@switchboard/speech";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASES, type RunningServer, startServer } from "../testing/harness.js";

/** The status, code and fields at fault of a rejected SDK call. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok" as const,
    (e: unknown) =>
      e instanceof SwitchboardError ? { status: e.status, code: e.code, fields: e.errors.map((f) => f.field) } : String(e),
  );

const wav = (seconds: number) =>
  new Blob([new Uint8Array(encodeWav(new Int16Array(8_000 * seconds).fill(1_000)))], { type: "audio/wav" });

describe.each(DATABASES)("the recording library API on %s", (database) => {
  let running: RunningServer;
  let admin: SwitchboardClient;
  let tenantId: string;

  async function signedIn(role: "agent" | "supervisor") {
    const email = `${role}.${Math.random().toString(36).slice(2)}@demo.example`;
    await admin.users.create({ email, displayName: role, role, password: "a long password" });
    const { token } = await running.client("").auth.signIn({ tenant: "demo", email, password: "a long password" });
    return running.client(token);
  }

  beforeAll(async () => {
    running = await startServer(database);
    admin = running.admin;
    tenantId = (await running.server.domain.identity.store.getTenantBySlug("demo"))?.id ?? "";
  });

  afterAll(async () => {
    await running?.close();
  });

  it("lists uploads and call recordings with their kind, call and length, newest first, for supervisors and admins", async () => {
    const uploaded = await admin.recordings.upload(wav(2));
    // A call's recording, saved as the telephony side saves it.
    const recorded = await running.server.domain.recordings.save({
      tenantId,
      audio: new Int16Array(8_000 * 3),
      callId: "call-recorded",
      kind: "call",
    });
    const supervisor = await signedIn("supervisor");
    const page = await supervisor.recordings.list();
    expect(page.items.slice(0, 2)).toEqual([
      { id: recorded.id, kind: "call", callId: "call-recorded", durationMs: 3000, createdAt: recorded.createdAt.toISOString() },
      { id: uploaded.id, kind: "upload", callId: null, durationMs: 2000, createdAt: uploaded.createdAt },
    ]);
    expect((await admin.recordings.list({ kind: "call" })).items.map((r) => r.id)).toEqual([recorded.id]);
    expect((await admin.recordings.list({ callId: "call-recorded" })).items.map((r) => r.id)).toEqual([recorded.id]);
    expect(await admin.recordings.get(uploaded.id)).toMatchObject({ kind: "upload", durationMs: 2000 });
    const agent = await signedIn("agent");
    expect(await failureOf(agent.recordings.list())).toMatchObject({ status: 403 });
    // Another tenant sees none of them.
    const other = await running.platform.tenants.create({ slug: `rec-${database}`, name: "Other" });
    const acme = running.client(other.apiKey.key);
    expect((await acme.recordings.list()).items).toEqual([]);
    expect(await failureOf(acme.recordings.get(recorded.id))).toMatchObject({ status: 404, code: "recording.not_found" });
    expect(await failureOf(acme.recordings.delete(recorded.id))).toMatchObject({ status: 404 });
  });

  it("deletes a recording and its audio (admins only)", async () => {
    const uploaded = await admin.recordings.upload(wav(1));
    const supervisor = await signedIn("supervisor");
    expect(await failureOf(supervisor.recordings.delete(uploaded.id))).toMatchObject({ status: 403 });
    await admin.recordings.delete(uploaded.id);
    expect(await failureOf(admin.recordings.audio(uploaded.id))).toMatchObject({ status: 404 });
    expect(await failureOf(admin.recordings.get(uploaded.id))).toMatchObject({ status: 404 });
  });

  it("keeps the retention an admin sets, names the field when it is wrong, and expires call recordings past it", async () => {
    expect(await admin.recordings.retention()).toBeNull();
    for (const wrong of [0, 3651]) {
      expect(await failureOf(admin.recordings.setRetention(wrong))).toMatchObject({
        status: 400,
        code: "recording.invalid_retention",
        fields: ["retentionDays"],
      });
    }
    const supervisor = await signedIn("supervisor");
    expect(await failureOf(supervisor.recordings.setRetention(30))).toMatchObject({ status: 403 });
    expect(await admin.recordings.setRetention(30)).toBe(30);
    expect(await admin.recordings.retention()).toBe(30);

    const { domain } = running.server;
    const call = await domain.recordings.save({ tenantId, audio: new Int16Array(8_000), callId: "call-old", kind: "call" });
    const message = await domain.recordings.save({ tenantId, audio: new Int16Array(8_000), callId: "call-old" });
    // Thirty-one days on: the call recording is past the retention, the caller's message is not the library's to expire.
    const later = { now: () => new Date(Date.now() + 31 * 86_400_000) };
    expect(await core.expireRecordings({ ...domain.recordingLibrary, clock: later })).toBeGreaterThanOrEqual(1);
    expect(await failureOf(admin.recordings.get(call.id))).toMatchObject({ status: 404 });
    expect(await failureOf(admin.recordings.audio(call.id))).toMatchObject({ status: 404 });
    expect(await admin.recordings.get(message.id)).toMatchObject({ kind: "message" });
    await admin.recordings.setRetention(null);
    expect(await admin.recordings.retention()).toBeNull();
  });
});
