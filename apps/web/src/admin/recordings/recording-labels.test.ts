import { describe, expect, it } from "vitest";
import { isRecordingKind, RECORDING_KINDS, recordingKindLabel, recordingName } from "./recording-labels.js";

describe("recording labels", () => {
  it("names every kind the API lists", () => {
    expect(RECORDING_KINDS.map((k) => k.value)).toEqual(["call", "message", "upload"]);
    expect(recordingKindLabel("call")).toBe("Call recording");
    expect(recordingKindLabel("message")).toBe("Caller's message");
    expect(recordingKindLabel("upload")).toBe("Uploaded audio");
  });

  it("takes only known kinds from the URL", () => {
    expect(isRecordingKind("message")).toBe(true);
    expect(isRecordingKind("video")).toBe(false);
    expect(isRecordingKind(null)).toBe(false);
  });

  it("names a recording by its kind and time", () => {
    expect(recordingName({ kind: "upload" }, "27 Nov, 09:14")).toBe("uploaded audio of 27 Nov, 09:14");
    expect(recordingName({ kind: "message" }, "27 Nov")).toBe("caller's message of 27 Nov");
  });
});
