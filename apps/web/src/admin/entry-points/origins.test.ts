import { describe, expect, it } from "vitest";
import { parseOrigin } from "./origins.js";

describe("parseOrigin", () => {
  it("accepts an origin or *, as the server compares them", () => {
    expect(parseOrigin("*")).toEqual({ origin: "*" });
    expect(parseOrigin("https://www.example.com")).toEqual({ origin: "https://www.example.com" });
    expect(parseOrigin(" https://shop.example.com:8443/ ")).toEqual({ origin: "https://shop.example.com:8443" });
    expect(parseOrigin("HTTP://Example.COM")).toEqual({ origin: "http://example.com" });
  });

  it("explains what is wrong with anything else", () => {
    expect(parseOrigin("www.example.com")).toHaveProperty("error");
    expect(parseOrigin("ftp://example.com")).toEqual({ error: "Only http and https pages can embed the widget." });
    expect(parseOrigin("https://example.com/shop")).toEqual({ error: "Leave out the path: https://example.com" });
  });
});
