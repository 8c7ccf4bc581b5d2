import { SwitchboardError } from "@switchboard/sdk";
import { describe, expect, it } from "vitest";
import { explain } from "./errors.js";

const problem = (status: number, code: string, extra: Partial<SwitchboardError["problem"]> = {}) =>
  new SwitchboardError({ type: "about:blank", title: "Error", status, code, ...extra });

describe("explain", () => {
  it("tells a site set up wrongly apart from a network failure", () => {
    expect(explain(problem(403, "widget.origin_not_allowed"))).toMatchObject({ retryable: false });
    expect(explain(problem(404, "entry_point.not_found")).message).toMatch(/isn't available/);
    expect(explain(problem(403, "entry_point.disabled")).message).toMatch(/switched off/);
    expect(explain(new TypeError("Failed to fetch"))).toEqual({
      message: "You seem to be offline. Check your connection and try again.",
      retryable: true,
    });
  });

  it("explains refused files and long messages", () => {
    expect(explain(problem(413, "attachment.too_large")).message).toBe("That file is too large to send.");
    expect(explain(problem(400, "attachment.unsupported_type")).retryable).toBe(false);
    expect(explain(problem(400, "attachment.type_mismatch")).message).toMatch(/doesn't match/);
    expect(explain(problem(400, "request.invalid", { errors: [{ field: "content", message: "Too big" }] })).message).toBe(
      "Your message is too long.",
    );
  });

  it("offers a retry for server trouble and rate limits", () => {
    expect(explain(problem(503, "http.503")).retryable).toBe(true);
    expect(explain(problem(429, "rate_limited")).retryable).toBe(true);
    expect(explain(problem(400, "something.else", { detail: "Exactly why" }))).toEqual({
      message: "Exactly why",
      retryable: false,
    });
  });
});
