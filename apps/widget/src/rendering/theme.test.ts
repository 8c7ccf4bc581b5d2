import { describe, expect, it } from "vitest";
import { contrastRatio, DEFAULT_ACCENT, textOn } from "./theme.js";

describe("theme colours", () => {
  it("computes WCAG contrast ratios", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#fff", "#fff")).toBeCloseTo(1, 5);
  });

  it("puts white text on dark colours and dark text on light ones", () => {
    expect(textOn(DEFAULT_ACCENT)).toBe("#ffffff");
    expect(textOn("#ffd60a")).toBe("#111827");
    expect(textOn("#0a7")).toBe("#111827");
  });

  it("the default accent carries white text at AA contrast", () => {
    expect(contrastRatio(DEFAULT_ACCENT, "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });
});
