import { SwitchboardError } from "@switchboard/sdk";
import { describe, expect, it } from "vitest";
import { describeError, fieldError, isAbort } from "./describe-error.js";

const invalid = new SwitchboardError({
  type: "https://switchboard.dev/problems/request.invalid",
  title: "Invalid request",
  status: 400,
  code: "request.invalid",
  detail: "2 fields are invalid",
  errors: [
    { field: "name", message: "Too short" },
    { field: "businessHours.weekly.1", message: "Bad interval" },
  ],
});

describe("describeError", () => {
  it("shows the server's problem: title, detail and the fields at fault", () => {
    expect(describeError(invalid)).toEqual({
      title: "Invalid request",
      detail: "2 fields are invalid",
      fields: [
        { field: "name", message: "Too short" },
        { field: "businessHours.weekly.1", message: "Bad interval" },
      ],
      status: 400,
    });
  });

  it("tells a network failure from other errors", () => {
    expect(describeError(new TypeError("Failed to fetch")).title).toBe("Can't reach the server");
    expect(describeError(new Error("boom"))).toMatchObject({ title: "Something went wrong", detail: "boom" });
    expect(describeError("?")).toMatchObject({ title: "Something went wrong", detail: undefined });
  });

  it("finds a field's message, including nested fields", () => {
    expect(fieldError(invalid, "name")).toBe("Too short");
    expect(fieldError(invalid, "businessHours")).toBe("Bad interval");
    expect(fieldError(invalid, "greeting")).toBeUndefined();
    expect(fieldError(new Error("x"), "name")).toBeUndefined();
  });

  it("recognizes an aborted request", () => {
    expect(isAbort(new DOMException("stop", "AbortError"))).toBe(true);
    expect(isAbort(new Error("stop"))).toBe(false);
  });
});
