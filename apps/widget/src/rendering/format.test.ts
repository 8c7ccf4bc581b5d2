import { describe, expect, it } from "vitest";
import { formatFileSize, formatMessageTime, initials, linkify, safeUrl } from "./format.js";

describe("formatMessageTime", () => {
  const options = { locale: "en-GB", timeZone: "UTC" };
  const now = new Date("2025-03-12T15:00:00Z"); // a Wednesday

  it("shows only the time today", () => {
    expect(formatMessageTime(new Date("2025-03-12T14:05:00Z"), now, options)).toBe("14:05");
    expect(formatMessageTime(new Date("2025-03-12T00:00:00Z"), now, options)).toBe("0:00");
  });

  it("names yesterday, then the weekday within a week, then the date", () => {
    expect(formatMessageTime(new Date("2025-03-11T09:30:00Z"), now, options)).toBe("Yesterday, 9:30");
    expect(formatMessageTime(new Date("2025-03-08T18:00:00Z"), now, options)).toBe("Sat 18:00");
    expect(formatMessageTime(new Date("2025-03-03T18:00:00Z"), now, options)).toBe("3 Mar, 18:00");
  });

  it("uses the time zone for the day boundary", () => {
    const lateUtc = new Date("2025-03-11T23:30:00Z");
    expect(formatMessageTime(lateUtc, now, { locale: "en-GB", timeZone: "Europe/Berlin" })).toBe("0:30");
  });
});

describe("formatFileSize", () => {
  it("uses B, KB and MB with one decimal below ten", () => {
    expect(formatFileSize(0)).toBe("0 B");
    expect(formatFileSize(820)).toBe("820 B");
    expect(formatFileSize(1024)).toBe("1 KB");
    expect(formatFileSize(1536)).toBe("1.5 KB");
    expect(formatFileSize(12 * 1024 + 300)).toBe("12 KB");
    expect(formatFileSize(1.4 * 1024 * 1024)).toBe("1.4 MB");
    expect(formatFileSize(25 * 1024 * 1024)).toBe("25 MB");
  });
});

describe("initials", () => {
  it("takes the first letters of the first and last words", () => {
    expect(initials("Northwind Bikes")).toBe("NB");
    expect(initials("  sam  ")).toBe("S");
    expect(initials("Ana María de la Cruz")).toBe("AC");
    expect(initials("")).toBe("");
  });
});

describe("linkify", () => {
  it("leaves plain text alone", () => {
    expect(linkify("Hello there")).toEqual([{ kind: "text", text: "Hello there" }]);
    expect(linkify("")).toEqual([]);
  });

  it("finds http(s) links and leaves sentence punctuation outside", () => {
    expect(linkify("See https://northwind.test/hours. Or http://x.test/a?b=1, thanks")).toEqual([
      { kind: "text", text: "See " },
      { kind: "link", text: "https://northwind.test/hours", href: "https://northwind.test/hours" },
      { kind: "text", text: ". Or " },
      { kind: "link", text: "http://x.test/a?b=1", href: "http://x.test/a?b=1" },
      { kind: "text", text: ", thanks" },
    ]);
  });

  it("keeps a parenthesis that belongs to the URL", () => {
    expect(linkify("(https://en.wikipedia.org/wiki/Bike_(disambiguation))")).toEqual([
      { kind: "text", text: "(" },
      {
        kind: "link",
        text: "https://en.wikipedia.org/wiki/Bike_(disambiguation)",
        href: "https://en.wikipedia.org/wiki/Bike_(disambiguation)",
      },
      { kind: "text", text: ")" },
    ]);
  });

  it("does not link other schemes", () => {
    expect(linkify("javascript:alert(1)")).toEqual([{ kind: "text", text: "javascript:alert(1)" }]);
  });
});

describe("safeUrl", () => {
  it("accepts http(s) only", () => {
    expect(safeUrl("https://northwind.test/a b")).toBe("https://northwind.test/a%20b");
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("data:text/html,hi")).toBeUndefined();
    expect(safeUrl("not a url")).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
  });
});
