import { describe, expect, it } from "vitest";
import { extractCode, extractEmail, isCancel, isHumanRequest, isResendRequest, isVerificationRequest } from "./recognize.js";

describe("isHumanRequest", () => {
  it("recognizes the ways customers ask for a person", () => {
    for (const text of [
      "Talk to a person",
      "Can I speak with someone?",
      "connect me to an agent",
      "put me through to customer service",
      "I want a human",
      "get me an agent now",
      "real person please",
      "is there a human there?",
      "Agent!",
      "operator",
      "HUMAN PLEASE",
      "I'd like to speak to a manager",
    ]) {
      expect(isHumanRequest(text), text).toBe(true);
    }
  });

  it("leaves other messages alone", () => {
    for (const text of [
      "I need someone to fix my brakes",
      "the delivery was late",
      "I talked to your colleague yesterday",
      "where is my order",
      "humane",
    ]) {
      expect(isHumanRequest(text), text).toBe(false);
    }
  });
});

describe("isVerificationRequest", () => {
  it("recognizes asks to verify, but not sign-in problems", () => {
    for (const text of ["verify me", "Log in", "I want to sign in", "can you verify my identity", "login"]) {
      expect(isVerificationRequest(text), text).toBe(true);
    }
    for (const text of ["I can't log in", "login doesn't work", "I forgot my login", "where is my order"]) {
      expect(isVerificationRequest(text), text).toBe(false);
    }
  });
});

describe("isCancel and isResendRequest", () => {
  it("recognize short commands", () => {
    for (const text of ["Cancel", "never mind", "nevermind", "stop", "forget it", "cancel verification"]) {
      expect(isCancel(text), text).toBe(true);
    }
    expect(isCancel("cancel my order")).toBe(false);
    for (const text of ["Send a new code", "resend", "I didn't get the code", "another code please", "no code arrived"]) {
      expect(isResendRequest(text), text).toBe(true);
    }
    expect(isResendRequest("what is the code for the door")).toBe(false);
    expect(isResendRequest("send it")).toBe(false);
  });
});

describe("extractEmail", () => {
  it("finds the first address in the text, as typed", () => {
    expect(extractEmail("it's Ada.Lovelace+shop@Example.co.uk, thanks")).toBe("Ada.Lovelace+shop@Example.co.uk");
    expect(extractEmail("<bob@example.com>")).toBe("bob@example.com");
    expect(extractEmail("my email is bob at example dot com")).toBeNull();
    expect(extractEmail("bob@localhost")).toBeNull();
  });
});

describe("extractCode", () => {
  it("finds a 6-digit code alone or in a short sentence", () => {
    expect(extractCode("123456")).toBe("123456");
    expect(extractCode(" 123 456 ")).toBe("123456");
    expect(extractCode("my code is 123-456.")).toBe("123456");
  });

  it("ignores other numbers", () => {
    expect(extractCode("12345")).toBeNull();
    expect(extractCode("1234567")).toBeNull();
    expect(extractCode("order 10234, code 123456")).toBeNull();
    expect(extractCode("call me on 0612 345 678")).toBeNull();
  });
});
