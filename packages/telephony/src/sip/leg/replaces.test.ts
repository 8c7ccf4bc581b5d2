import { describe, expect, it } from "vitest";
import { parseReplaces, replacesDialog, splitReferTo } from "./replaces.js";

describe("Replaces (RFC 3891)", () => {
  it("parses a header value with its tags, case-insensitive parameter names, and early-only", () => {
    expect(parseReplaces("425928@bobster.example.org;to-tag=7743;from-tag=6472")).toEqual({
      callId: "425928@bobster.example.org",
      toTag: "7743",
      fromTag: "6472",
      earlyOnly: false,
    });
    expect(parseReplaces("abc; From-Tag=2 ;TO-TAG=1;early-only")).toEqual({
      callId: "abc",
      toTag: "1",
      fromTag: "2",
      earlyOnly: true,
    });
    expect(parseReplaces("abc;to-tag=1")).toBeUndefined();
    expect(parseReplaces(";to-tag=1;from-tag=2")).toBeUndefined();
  });

  it("splits a Refer-To URI into its target and the escaped Replaces it carries", () => {
    expect(splitReferTo("sip:1002@pbx.example.com?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2")).toEqual({
      uri: "sip:1002@pbx.example.com",
      replaces: { callId: "abc@host", toTag: "1", fromTag: "2", earlyOnly: false },
    });
    expect(splitReferTo("sip:1002@pbx.example.com;user=phone")).toEqual({ uri: "sip:1002@pbx.example.com;user=phone" });
    expect(splitReferTo("sip:1002@pbx?Subject=hi")).toEqual({ uri: "sip:1002@pbx" });
    expect(splitReferTo("sip:1002@pbx?Replaces=abc%3Bto-tag%3D1")).toBeUndefined();
    expect(splitReferTo("not a uri")).toBeUndefined();
  });

  it("matches the dialog whose local tag is the to-tag and remote tag the from-tag (or swapped), same Call-ID", () => {
    const replaces = { callId: "c1", toTag: "ours", fromTag: "theirs", earlyOnly: false };
    expect(replacesDialog(replaces, { callId: "c1", localTag: "ours", remoteTag: "theirs" })).toBe(true);
    expect(replacesDialog(replaces, { callId: "c1", localTag: "theirs", remoteTag: "ours" })).toBe(true);
    expect(replacesDialog(replaces, { callId: "c2", localTag: "ours", remoteTag: "theirs" })).toBe(false);
    expect(replacesDialog(replaces, { callId: "c1", localTag: "ours", remoteTag: "other" })).toBe(false);
  });
});
