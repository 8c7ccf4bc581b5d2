import { describe, expect, it } from "vitest";
import { MemoryRecordingStore } from "../../testing/memory-recording-store.js";
import { createMemoryStores } from "../../testing/memory-stores.js";
import type { Principal } from "../identity/model.js";
import { ManualClock } from "../kernel/clock.js";
import {
  deleteRecording,
  expireRecordings,
  getRecording,
  listRecordings,
  recordingRetention,
  setRecordingRetention,
} from "./recording-library.js";

const TENANT = "tenant-1";
const admin: Principal = { kind: "api_key", tenantId: TENANT, apiKeyId: "key-1" };
const supervisor: Principal = { kind: "identity", tenantId: TENANT, identityId: "i-sup", scopes: ["chat"], role: "supervisor" };
const agent: Principal = { kind: "identity", tenantId: TENANT, identityId: "i-agent", scopes: ["chat"], role: "agent" };
const otherAdmin: Principal = { kind: "api_key", tenantId: "tenant-2", apiKeyId: "key-2" };
const DAY = 86_400_000;

async function library() {
  const stores = createMemoryStores();
  const clock = new ManualClock("2026-11-01T00:00:00.000Z");
  for (const id of [TENANT, "tenant-2"]) await stores.identities.createTenant({ id, slug: id, name: id, createdAt: clock.now() });
  const audio = new MemoryRecordingStore(() => clock.now());
  const catalog = stores.recordingCatalog;
  const deps = { catalog, audio, clock };
  /** Saves audio as the server does: the file, then its catalog row. */
  const save = async (kind: "call" | "message" | "upload", tenantId = TENANT) => {
    const recording = await audio.save({ tenantId, audio: new Int16Array(8_000), callId: "call-1", kind });
    await catalog.addRecording(recording);
    clock.advance(DAY);
    return recording;
  };
  return { deps, clock, audio, save };
}

describe("the recording library", () => {
  it("lists for supervisors and admins, newest first, by kind; agents and other tenants see nothing", async () => {
    const { deps, save } = await library();
    const call = await save("call");
    const message = await save("message");
    await save("upload", "tenant-2");
    const all = await listRecordings(deps, supervisor, {}, { limit: 10 });
    expect(all.items.map((r) => [r.id, r.kind, r.durationMs])).toEqual([
      [message.id, "message", 1000],
      [call.id, "call", 1000],
    ]);
    expect((await listRecordings(deps, admin, { kind: "call" }, { limit: 10 })).items.map((r) => r.id)).toEqual([call.id]);
    expect(() => listRecordings(deps, agent, {}, { limit: 10 })).toThrow(
      expect.objectContaining({ code: "auth.supervisor_required" }),
    );
    await expect(getRecording(deps, otherAdmin, call.id)).rejects.toMatchObject({ code: "recording.not_found" });
    expect(await getRecording(deps, supervisor, call.id)).toMatchObject({ kind: "call", callId: "call-1" });
  });

  it("deletes a recording with its audio (admins only)", async () => {
    const { deps, audio, save } = await library();
    const call = await save("call");
    await expect(deleteRecording(deps, supervisor, call.id)).rejects.toMatchObject({ code: "auth.admin_required" });
    await expect(deleteRecording(deps, otherAdmin, call.id)).rejects.toMatchObject({ code: "recording.not_found" });
    await deleteRecording(deps, admin, call.id);
    expect(await audio.audio(TENANT, call.id)).toBeUndefined();
    await expect(deleteRecording(deps, admin, call.id)).rejects.toMatchObject({ code: "recording.not_found" });
  });

  it("keeps a retention of 1 to 3650 days or none, naming the field when it is wrong", async () => {
    const { deps } = await library();
    expect(await recordingRetention(deps, admin)).toBeNull();
    for (const wrong of [0, 3651, 1.5]) {
      await expect(setRecordingRetention(deps, admin, wrong)).rejects.toMatchObject({
        code: "recording.invalid_retention",
        fields: [expect.objectContaining({ field: "retentionDays" })],
      });
    }
    await expect(setRecordingRetention(deps, supervisor, 30)).rejects.toMatchObject({ code: "auth.admin_required" });
    expect(await setRecordingRetention(deps, admin, 30)).toBe(30);
    expect(await recordingRetention(deps, admin)).toBe(30);
    expect(await recordingRetention(deps, otherAdmin)).toBeNull();
    await setRecordingRetention(deps, admin, null);
    expect(await recordingRetention(deps, admin)).toBeNull();
  });

  it("expires call recordings past their tenant's retention, and only those", async () => {
    const { deps, clock, audio, save } = await library();
    const old = await save("call");
    const oldMessage = await save("message");
    const oldUpload = await save("upload");
    clock.advance(10 * DAY);
    const recent = await save("call");
    const otherTenant = await save("call", "tenant-2");
    expect(await expireRecordings(deps)).toBe(0);
    await setRecordingRetention(deps, admin, 5);
    expect(await expireRecordings(deps)).toBe(1);
    const left = (await listRecordings(deps, admin, {}, { limit: 10 })).items.map((r) => r.id);
    expect(left).toEqual([recent.id, oldUpload.id, oldMessage.id]);
    expect(await audio.audio(TENANT, old.id)).toBeUndefined();
    expect(await audio.audio("tenant-2", otherTenant.id)).toBeDefined();
    clock.advance(10 * DAY);
    expect(await expireRecordings(deps, 1)).toBe(1);
  });
});
