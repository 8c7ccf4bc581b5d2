import { describe, expect, it } from "vitest";
import { SipHeaders } from "./headers.js";

describe("SipHeaders", () => {
  it("looks names up case-insensitively and by compact form", () => {
    const headers = new SipHeaders([
      ["v", "SIP/2.0/UDP a;branch=z9hG4bK1"],
      ["VIA", "SIP/2.0/UDP b;branch=z9hG4bK2"],
      ["x-custom", "1"],
    ]);
    expect(headers.getAll("Via")).toHaveLength(2);
    expect(headers.get("v")).toBe("SIP/2.0/UDP a;branch=z9hG4bK1");
    expect(headers.entries().map((h) => h.name)).toEqual(["Via", "Via", "x-custom"]);
    expect(headers.get("X-CUSTOM")).toBe("1");
  });

  it("prepends, replaces and removes the top value", () => {
    const headers = new SipHeaders([
      ["From", "f"],
      ["Via", "b"],
      ["Via", "c"],
    ]);
    headers.prepend("Via", "a");
    expect(headers.getAll("Via")).toEqual(["a", "b", "c"]);
    headers.replaceFirst("Via", "a2");
    expect(headers.removeFirst("Via")).toBe("a2");
    headers.set("Via", "z");
    expect(headers.entries()).toEqual([
      { name: "From", value: "f" },
      { name: "Via", value: "z" },
    ]);
    expect(headers.clone().delete("via").size).toBe(1);
    expect(headers.size).toBe(2);
  });
});
