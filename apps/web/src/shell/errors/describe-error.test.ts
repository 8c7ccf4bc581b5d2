import { SwitchboardError } from "@switchboard/sdk";
import { describe, expect, it } from "vitest";
import { coveredByFields, describeError, fieldError, fieldErrors, isAbort } from "./describe-error.js";

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

  it("matches the request schema's `body.` fields too, and gathers every message under a field", () => {
    const schema = new SwitchboardError({
      type: "about:blank",
      title: "Bad request",
      status: 400,
      code: "trunk.invalid_cidr",
      errors: [
        { field: "inbound.allowList.0", message: "a is not a CIDR block" },
        { field: "inbound.allowList.2", message: "c is not a CIDR block" },
        { field: "body.name", message: "Too long" },
      ],
    });
    expect(fieldError(schema, "name")).toBe("Too long");
    expect(fieldErrors(schema, "inbound.allowList")).toEqual(["a is not a CIDR block", "c is not a CIDR block"]);
    expect(fieldErrors(schema, "inbound.allow")).toEqual([]);
    expect(coveredByFields(schema, ["name", "inbound.allowList"])).toBe(true);
    expect(coveredByFields(schema, ["inbound.allowList"])).toBe(false);
    expect(coveredByFields(new Error("x"), ["name"])).toBe(false);
  });

  it("recognizes an aborted request", () => {
    expect(isAbort(new DOMException("stop", "AbortError"))).toBe(true);
    expect(isAbort(new Error("stop"))).toBe(false);
  });
});
