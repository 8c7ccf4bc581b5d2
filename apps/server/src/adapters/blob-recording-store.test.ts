import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock, SequentialIds } from "@switchboard/core";
import { afterEach, describe, expect, it } from "vitest";
import { BlobRecordingStore } from "./blob-recording-store.js";
import { FileBlobStore } from "./file-blob-store.js";

describe("BlobRecordingStore on files", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const store = () => {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-recordings-"));
    dirs.push(dir);
    return new BlobRecordingStore(new FileBlobStore(dir), new SequentialIds("rec"), new ManualClock());
  };

  it("deletes a recording's file once, only the tenant's, and a second deletion is no error", async () => {
    const recordings = store();
    const audio = new Int16Array(800).fill(1000);
    const gone = await recordings.save({ tenantId: "acme", audio });
    const kept = await recordings.save({ tenantId: "acme", audio });
    await recordings.delete("globex", gone.id);
    expect(await recordings.audio("acme", gone.id)).toEqual(audio);
    await recordings.delete("acme", gone.id);
    expect(await recordings.wav("acme", gone.id)).toBeUndefined();
    expect(await recordings.audio("acme", gone.id)).toBeUndefined();
    await expect(recordings.delete("acme", gone.id)).resolves.toBeUndefined();
    expect(await recordings.audio("acme", kept.id)).toEqual(audio);
  });
});
