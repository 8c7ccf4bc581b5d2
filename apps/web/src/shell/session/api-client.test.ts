import type { FetchLike } from "@switchboard/sdk";
import { describe, expect, it, vi } from "vitest";
import { anonymousClient, createApiClient } from "./api-client.js";

const problem = (status: number) =>
  new Response(JSON.stringify({ type: "about:blank", title: "Unauthorized", status, code: "auth.invalid_token" }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });

describe("createApiClient", () => {
  it("sends the session's token and reports a 401 to an authenticated request", async () => {
    const seen: (string | null)[] = [];
    const fetch: FetchLike = async (_url, init) => {
      seen.push(new Headers(init.headers).get("authorization"));
      return problem(401);
    };
    const onUnauthorized = vi.fn();
    const client = createApiClient({ baseUrl: "http://sb.test", token: "at_1", onUnauthorized, fetch });
    await expect(client.entryPoints.list()).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual(["Bearer at_1"]);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it("leaves other errors and anonymous calls alone", async () => {
    const onUnauthorized = vi.fn();
    const forbidden = createApiClient({
      baseUrl: "http://sb.test",
      token: "at_1",
      onUnauthorized,
      fetch: async () => problem(403),
    });
    await expect(forbidden.entryPoints.list()).rejects.toMatchObject({ status: 403 });
    // Sign-in answers 401 for a wrong password: that is no reason to sign anybody out.
    const signIn = createApiClient({ baseUrl: "http://sb.test", token: "at_1", onUnauthorized, fetch: async () => problem(401) });
    await expect(signIn.auth.signIn({ tenant: "demo", email: "a@b.c", password: "x" })).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it("signs in without a credential", async () => {
    let authorization: string | null = "unset";
    const client = anonymousClient("http://sb.test", async (_url, init) => {
      authorization = new Headers(init.headers).get("authorization");
      return Response.json({ token: "at_2", expiresAt: "2025-01-01T00:00:00.000Z", user: {} });
    });
    expect((await client.auth.signIn({ tenant: "demo", email: "a@b.c", password: "x" })).token).toBe("at_2");
    expect(authorization).toBeNull();
  });
});
