import { describe, expect, it } from "vitest";
import { generateIdempotencyKey, HttpClient, isProblem, parseRetryAfter, SwitchboardError } from "./http.js";

describe("parseRetryAfter", () => {
  it("reads delay seconds", () => {
    expect(parseRetryAfter("0")).toBe(0);
    expect(parseRetryAfter(" 12 ")).toBe(12);
  });

  it("reads an HTTP date as the seconds left, never negative", () => {
    const now = Date.parse("2025-03-01T10:00:00Z");
    expect(parseRetryAfter("Sat, 01 Mar 2025 10:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Sat, 01 Mar 2025 09:00:00 GMT", now)).toBe(0);
  });

  it("is undefined when absent or malformed", () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("")).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter("-3")).toBeUndefined();
  });
});

describe("generateIdempotencyKey", () => {
  it("makes distinct keys within the protocol's length limit", () => {
    const keys = new Set(Array.from({ length: 1000 }, generateIdempotencyKey));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.length).toBeLessThanOrEqual(128);
  });
});

describe("HttpClient", () => {
  it("builds URLs from a base with a trailing slash, skipping undefined query values", () => {
    const http = new HttpClient({ baseUrl: "https://sb.example.com/api/", fetch: async () => new Response() });
    expect(http.url("/v1/identities", { after: undefined, limit: 20 })).toBe("https://sb.example.com/api/v1/identities?limit=20");
    expect(http.url("/v1/tenant")).toBe("https://sb.example.com/api/v1/tenant");
  });

  it("uses the injected fetch and gives its answer's problem to the error", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const http = new HttpClient({
      baseUrl: "https://sb.example.com",
      credential: () => "at_1",
      fetch: async (url, init) => {
        calls.push({ url, init });
        return new Response(JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403, code: "scope.missing" }), {
          status: 403,
          headers: { "content-type": "application/problem+json" },
        });
      },
    });
    const error = (await http.request({ method: "GET", path: "/v1/tenant" }).catch((e: unknown) => e)) as
      | SwitchboardError
      | undefined;
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error?.code).toBe("scope.missing");
    expect(error?.status).toBe(403);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe("https://sb.example.com/v1/tenant");
    const headers = calls[0]?.init.headers as Record<string, string> | undefined;
    expect(headers?.authorization).toBe("Bearer at_1");
  });
});

describe("isProblem", () => {
  const base = { type: "about:blank", title: "Not found", status: 404, code: "thread.not_found" };

  it("accepts our problems, with or without the optional members", () => {
    expect(isProblem(base)).toBe(true);
    expect(isProblem({ ...base, detail: "x", instance: "/v1/x", errors: [{ field: "a", message: "b" }] })).toBe(true);
  });

  it("rejects anything else", () => {
    expect(isProblem(undefined)).toBe(false);
    expect(isProblem("Not found")).toBe(false);
    expect(isProblem({ ...base, code: undefined })).toBe(false);
    expect(isProblem({ ...base, status: "404" })).toBe(false);
    expect(isProblem({ ...base, status: 404.5 })).toBe(false);
    expect(isProblem({ ...base, detail: 3 })).toBe(false);
    expect(isProblem({ ...base, errors: [{ field: "a" }] })).toBe(false);
    expect(isProblem({ ...base, errors: "bad" })).toBe(false);
  });
});
