import { describe, expect, it } from "vitest";
import { formatResumeFrom, parseResumeFrom } from "./resume-points.js";

describe("resume points", () => {
  it("round-trips thread ids that contain colons", () => {
    const points = { thr_1: 12, "a:b": 0 };
    expect(parseResumeFrom(formatResumeFrom(points))).toEqual(points);
  });

  it("reads an empty value as no points and rejects malformed ones", () => {
    expect(parseResumeFrom("")).toEqual({});
    expect(parseResumeFrom("thr_1")).toBeUndefined();
    expect(parseResumeFrom(":3")).toBeUndefined();
    expect(parseResumeFrom("thr_1:-1")).toBeUndefined();
    expect(parseResumeFrom("thr_1:1.5")).toBeUndefined();
  });
});
