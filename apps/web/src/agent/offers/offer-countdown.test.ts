import { describe, expect, it } from "vitest";
import { countdown, formatCountdown, offerClock } from "./offer-countdown.js";

const offer = { issuedAt: "2025-06-01T12:00:00.000Z", expiresAt: "2025-06-01T12:00:30.000Z" };
const issued = Date.parse(offer.issuedAt);

describe("offer countdown", () => {
  it("counts a fresh offer's alert time from its arrival, whatever the server's clock says", () => {
    // This machine's clock runs 5 minutes ahead of the server's.
    const arrived = issued + 5 * 60_000;
    const clock = offerClock(offer, arrived, true);
    expect(clock).toEqual({ deadline: arrived + 30_000, total: 30_000 });
    expect(countdown(clock, arrived)).toEqual({ remainingMs: 30_000, seconds: 30, fraction: 1, urgent: false, expired: false });
    expect(countdown(clock, arrived + 12_500)).toMatchObject({ seconds: 18, fraction: 17.5 / 30, urgent: false });
  });

  it("trusts expiresAt for an offer read later, within the alert time from now", () => {
    expect(offerClock(offer, issued + 20_000, false).deadline).toBe(Date.parse(offer.expiresAt));
    // Our clock is behind: expiresAt is further away than a whole alert time.
    expect(offerClock(offer, issued - 60_000, false).deadline).toBe(issued - 60_000 + 30_000);
    // Our clock is ahead: already past expiresAt, so it ends now.
    expect(offerClock(offer, issued + 60_000, false).deadline).toBe(issued + 60_000);
  });

  it("turns urgent in the last ten seconds and stops at zero", () => {
    const clock = offerClock(offer, 0, true);
    expect(countdown(clock, 19_999).urgent).toBe(false);
    expect(countdown(clock, 20_000)).toMatchObject({ seconds: 10, urgent: true });
    expect(countdown(clock, 29_001)).toMatchObject({ seconds: 1, urgent: true, expired: false });
    expect(countdown(clock, 31_000)).toEqual({ remainingMs: 0, seconds: 0, fraction: 0, urgent: false, expired: true });
  });

  it("survives a broken offer and formats as minutes and seconds", () => {
    const clock = offerClock({ issuedAt: "soon", expiresAt: "later" }, 1000, false);
    expect(clock).toEqual({ deadline: 1000, total: 0 });
    expect(countdown(clock, 1000).expired).toBe(true);
    expect(formatCountdown(27)).toBe("0:27");
    expect(formatCountdown(65)).toBe("1:05");
    expect(formatCountdown(-3)).toBe("0:00");
  });
});
