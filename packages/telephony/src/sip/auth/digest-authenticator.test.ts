import { describe, expect, it } from "vitest";
import { digestHa1, digestResponse, parseCredentials } from "../message/digest.js";
import type { SipRequest, SipResponse } from "../message/model.js";
import { parseSipMessage } from "../message/parse.js";
import type { Source } from "../transaction/model.js";
import { type AuthenticationFailure, DigestAuthenticator } from "./digest-authenticator.js";
import { authorizedRequest } from "./digest-client.js";

// RFC 2617 §3.5: Mufasa / "Circle Of Life" in testrealm@host.com, adapted to a SIP REGISTER.
const REALM = "testrealm@host.com";
const MUFASA_HA1 = "939e7578ed9e3c518a452acee763bce9";
const SOURCE: Source = { protocol: "udp", address: "192.0.2.10", port: 5060 };

function register(extra = "", uri = "sip:host.com"): SipRequest {
  const text =
    `REGISTER ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-${Math.random().toString(36).slice(2)}\r\n` +
    "Max-Forwards: 70\r\nFrom: <sip:Mufasa@host.com>;tag=a1\r\nTo: <sip:Mufasa@host.com>\r\nCall-ID: reg-1@192.0.2.10\r\n" +
    `CSeq: 1 REGISTER\r\nContact: <sip:Mufasa@192.0.2.10:5060>\r\n${extra}Content-Length: 0\r\n\r\n`;
  const parsed = parseSipMessage(Buffer.from(text));
  if (!parsed.ok || parsed.message.type !== "request") throw new Error("bad test request");
  return parsed.message;
}

function setup(options: { lifetimeMs?: number } = {}) {
  let now = 1_700_000_000_000;
  const failures: AuthenticationFailure[] = [];
  const authenticator = new DigestAuthenticator({
    realm: REALM,
    lookup: async (username, realm) => (username === "Mufasa" && realm === REALM ? MUFASA_HA1 : undefined),
    secret: "test secret",
    clock: () => now,
    ...(options.lifetimeMs === undefined ? {} : { nonceLifetimeMs: options.lifetimeMs }),
  });
  authenticator.onFailure((failure) => failures.push(failure));
  const advance = (ms: number) => {
    now += ms;
  };
  return { authenticator, failures, advance };
}

/** The nonce of a 401's challenge. */
function nonceOf(response: SipResponse): string {
  const challenge = parseCredentials(
    response.headers.get("WWW-Authenticate") ?? response.headers.get("Proxy-Authenticate") ?? "",
  );
  return challenge?.params.get("nonce") ?? "";
}

function authorization(
  nonce: string,
  options: { password?: string; nc?: string; uri?: string; qop?: boolean; method?: string } = {},
): string {
  const uri = options.uri ?? "sip:host.com";
  const qop = options.qop ?? true;
  const nc = options.nc ?? "00000001";
  const response = digestResponse({
    username: "Mufasa",
    password: options.password ?? "Circle Of Life",
    realm: REALM,
    nonce,
    method: options.method ?? "REGISTER",
    uri,
    ...(qop ? { qop: "auth" as const, nc, cnonce: "0a4f113b" } : {}),
  });
  const qopPart = qop ? `, qop=auth, nc=${nc}, cnonce="0a4f113b"` : "";
  return `Digest username="Mufasa", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5${qopPart}`;
}

async function challenge(t: ReturnType<typeof setup>): Promise<string> {
  const outcome = await t.authenticator.authenticate(register(), SOURCE);
  if (outcome.kind !== "challenged") throw new Error("expected a challenge");
  return nonceOf(outcome.response);
}

describe("DigestAuthenticator", () => {
  it("stores H(A1) as RFC 2617 §3.5 computes it, and still reproduces its example response", () => {
    expect(digestHa1("Mufasa", REALM, "Circle Of Life")).toBe(MUFASA_HA1);
    expect(
      digestResponse({
        username: "Mufasa",
        password: "Circle Of Life",
        realm: REALM,
        nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        method: "GET",
        uri: "/dir/index.html",
        qop: "auth",
        nc: "00000001",
        cnonce: "0a4f113b",
      }),
    ).toBe("6629fae49393a05397450978507c4ef1");
  });

  it("challenges a request without credentials with 401, realm, a signed nonce, MD5 and qop=auth", async () => {
    const t = setup();
    const outcome = await t.authenticator.authenticate(register(), SOURCE);
    expect(outcome.kind).toBe("challenged");
    if (outcome.kind !== "challenged") return;
    expect(outcome.why).toBe("no-credentials");
    expect(outcome.response.status).toBe(401);
    expect(outcome.response.headers.get("To")).toMatch(/;tag=/);
    const header = outcome.response.headers.get("WWW-Authenticate") ?? "";
    expect(header).toMatch(/^Digest realm="testrealm@host.com", nonce="[A-Za-z0-9_-]{40}", algorithm=MD5, qop="auth"$/);
    expect(t.failures).toEqual([]);
  });

  it("accepts the right response, with qop=auth and in the RFC 2069 form without qop", async () => {
    const t = setup();
    const nonce = await challenge(t);
    const withQop = await t.authenticator.authenticate(register(`Authorization: ${authorization(nonce)}\r\n`), SOURCE);
    expect(withQop).toEqual({ kind: "authenticated", username: "Mufasa", realm: REALM });
    const without = await t.authenticator.authenticate(
      register(`Authorization: ${authorization(nonce, { qop: false })}\r\n`),
      SOURCE,
    );
    expect(without.kind).toBe("authenticated");
  });

  it("answers a wrong password with a new 401 and reports the failure; an unknown user looks the same", async () => {
    const t = setup();
    const nonce = await challenge(t);
    const wrong = await t.authenticator.authenticate(
      register(`Authorization: ${authorization(nonce, { password: "Circle of life" })}\r\n`),
      SOURCE,
    );
    expect(wrong).toMatchObject({ kind: "failed", why: "wrong-credentials", username: "Mufasa" });
    if (wrong.kind !== "failed") return;
    expect(wrong.response.status).toBe(401);
    expect(nonceOf(wrong.response)).not.toBe(nonce);
    expect(wrong.response.headers.get("WWW-Authenticate")).not.toContain("stale");
    const unknown = await t.authenticator.authenticate(
      register(`Authorization: ${authorization(nonce).replace('username="Mufasa"', 'username="Scar"')}\r\n`),
      SOURCE,
    );
    expect(unknown).toMatchObject({ kind: "failed", why: "unknown-user" });
    if (unknown.kind === "failed") expect(unknown.response.status).toBe(401);
    expect(t.failures.map((f) => [f.why, f.source.address, f.method])).toEqual([
      ["wrong-credentials", "192.0.2.10", "REGISTER"],
      ["unknown-user", "192.0.2.10", "REGISTER"],
    ]);
  });

  it("answers a correct response to an expired nonce with stale=true, and does not count it as a failure", async () => {
    const t = setup({ lifetimeMs: 60_000 });
    const nonce = await challenge(t);
    t.advance(61_000);
    const stale = await t.authenticator.authenticate(register(`Authorization: ${authorization(nonce)}\r\n`), SOURCE);
    expect(stale).toMatchObject({ kind: "challenged", why: "stale-nonce" });
    if (stale.kind !== "challenged") return;
    expect(stale.response.headers.get("WWW-Authenticate")).toMatch(/, stale=TRUE$/);
    expect(t.failures).toEqual([]);
    // A wrong password with the expired nonce is a failure, not stale (RFC 2617 §3.2.1).
    const wrong = await t.authenticator.authenticate(
      register(`Authorization: ${authorization(nonce, { password: "x" })}\r\n`),
      SOURCE,
    );
    expect(wrong).toMatchObject({ kind: "failed", why: "wrong-credentials" });
    // The fresh nonce works.
    const fresh = await t.authenticator.authenticate(
      register(`Authorization: ${authorization(nonceOf(stale.response))}\r\n`),
      SOURCE,
    );
    expect(fresh.kind).toBe("authenticated");
  });

  it("refuses a nonce it did not issue (forged, altered, or another realm's)", async () => {
    const t = setup();
    const nonce = await challenge(t);
    const altered = `${nonce.slice(0, 10)}${nonce[10] === "A" ? "B" : "A"}${nonce.slice(11)}`;
    for (const bad of ["dcd98b7102dd2f0e8b11d0f600bfb0c093", altered]) {
      const outcome = await t.authenticator.authenticate(register(`Authorization: ${authorization(bad)}\r\n`), SOURCE);
      expect(outcome).toMatchObject({ kind: "failed", why: "invalid-nonce" });
    }
    const other = new DigestAuthenticator({ realm: "other", lookup: () => MUFASA_HA1, secret: "test secret" });
    const foreign = await other.authenticate(register(), SOURCE);
    if (foreign.kind !== "challenged") throw new Error("expected a challenge");
    const replayedElsewhere = await t.authenticator.authenticate(
      register(`Authorization: ${authorization(nonceOf(foreign.response))}\r\n`),
      SOURCE,
    );
    expect(replayedElsewhere).toMatchObject({ kind: "failed", why: "invalid-nonce" });
  });

  it("detects a replayed nonce count, tolerates reordering within the window, and asks for a new nonce", async () => {
    const t = setup();
    const nonce = await challenge(t);
    const send = (nc: string) =>
      t.authenticator.authenticate(register(`Authorization: ${authorization(nonce, { nc })}\r\n`), SOURCE);
    expect((await send("00000001")).kind).toBe("authenticated");
    expect((await send("00000003")).kind).toBe("authenticated");
    // 2 arrives after 3 (UDP reordering): new, so accepted once.
    expect((await send("00000002")).kind).toBe("authenticated");
    const replay = await send("00000002");
    expect(replay).toMatchObject({ kind: "challenged", why: "replayed" });
    if (replay.kind === "challenged") expect(replay.response.headers.get("WWW-Authenticate")).toContain("stale=TRUE");
    expect((await send("00000003")).kind).toBe("challenged");
    expect((await send("00000004")).kind).toBe("authenticated");
    // A nonce first seen with a count above 1 (issued before a restart, or forgotten) is refreshed, not trusted.
    const other = await challenge(t);
    const late = await t.authenticator.authenticate(
      register(`Authorization: ${authorization(other, { nc: "00000009" })}\r\n`),
      SOURCE,
    );
    expect(late).toMatchObject({ kind: "challenged", why: "replayed" });
    expect(t.failures).toEqual([]);
  });

  it("requires the digest uri to name the Request-URI (400), and credentials that parse (400)", async () => {
    const t = setup();
    const nonce = await challenge(t);
    const elsewhere = await t.authenticator.authenticate(
      register(`Authorization: ${authorization(nonce, { uri: "sip:elsewhere.com" })}\r\n`),
      SOURCE,
    );
    expect(elsewhere).toMatchObject({ kind: "failed", why: "uri-mismatch" });
    if (elsewhere.kind === "failed") expect(elsewhere.response.status).toBe(400);
    // Equivalent spellings of the same URI are the same resource (RFC 3261 §19.1.4).
    const equivalent = await t.authenticator.authenticate(
      register(`Authorization: ${authorization(nonce, { uri: "sip:HOST.com" })}\r\n`),
      SOURCE,
    );
    expect(equivalent.kind).toBe("authenticated");
    const noResponse = await t.authenticator.authenticate(
      register(`Authorization: Digest username="Mufasa", realm="${REALM}", nonce="${nonce}", uri="sip:host.com"\r\n`),
      SOURCE,
    );
    expect(noResponse).toMatchObject({ kind: "failed", why: "malformed-credentials" });
    const noCount = await t.authenticator.authenticate(
      register(`Authorization: ${authorization(nonce).replace(/, nc=\d+/, "")}\r\n`),
      SOURCE,
    );
    expect(noCount).toMatchObject({ kind: "failed", why: "malformed-credentials" });
  });

  it("ignores credentials for another realm or scheme: a plain challenge, no failure", async () => {
    const t = setup();
    const nonce = await challenge(t);
    for (const header of [
      `Authorization: ${authorization(nonce).replace(`realm="${REALM}"`, 'realm="elsewhere"')}\r\n`,
      "Authorization: Basic TXVmYXNhOkNpcmNsZSBPZiBMaWZl\r\n",
      `Authorization: ${authorization(nonce).replace("algorithm=MD5", "algorithm=SHA-256")}\r\n`,
    ]) {
      expect(await t.authenticator.authenticate(register(header), SOURCE)).toMatchObject({
        kind: "challenged",
        why: "no-credentials",
      });
    }
    expect(t.failures).toEqual([]);
  });

  it("challenges as a proxy (407, Proxy-Authenticate) and reads Proxy-Authorization only then", async () => {
    const t = setup();
    const first = await t.authenticator.authenticate(register(), SOURCE, { kind: "proxy" });
    if (first.kind !== "challenged") throw new Error("expected a challenge");
    expect(first.response.status).toBe(407);
    const nonce = nonceOf(first.response);
    const wrongHeader = await t.authenticator.authenticate(register(`Authorization: ${authorization(nonce)}\r\n`), SOURCE, {
      kind: "proxy",
    });
    expect(wrongHeader.kind).toBe("challenged");
    const right = await t.authenticator.authenticate(register(`Proxy-Authorization: ${authorization(nonce)}\r\n`), SOURCE, {
      kind: "proxy",
    });
    expect(right.kind).toBe("authenticated");
  });

  it("the client side answers its challenge: same request, next CSeq, no Via, credentials the server accepts", async () => {
    const t = setup();
    const request = register();
    const first = await t.authenticator.authenticate(request, SOURCE);
    if (first.kind !== "challenged") throw new Error("expected a challenge");
    const retry = authorizedRequest(request, first.response, { username: "Mufasa", password: "Circle Of Life" });
    if (!retry) throw new Error("no retry");
    expect(retry.headers.get("CSeq")).toBe("2 REGISTER");
    expect(retry.headers.get("Via")).toBeUndefined();
    expect(retry.headers.get("Call-ID")).toBe(request.headers.get("Call-ID"));
    expect(retry.headers.get("Authorization")).toMatch(/qop=auth, nc=00000001, cnonce="[0-9a-f]{16}"$/);
    expect(await t.authenticator.authenticate(retry, SOURCE)).toMatchObject({ kind: "authenticated" });
    // Credentials for another realm cannot answer it.
    expect(authorizedRequest(request, first.response, { username: "Mufasa", password: "x", realm: "elsewhere" })).toBeUndefined();
    // A second challenge replaces the first answer rather than piling up credentials.
    const again = authorizedRequest(retry, first.response, { username: "Mufasa", password: "Circle Of Life" });
    expect(again?.headers.getAll("Authorization")).toHaveLength(1);
    expect(again?.headers.get("CSeq")).toBe("3 REGISTER");
  });
});
