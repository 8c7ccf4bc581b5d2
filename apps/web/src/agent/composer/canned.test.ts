import { describe, expect, it } from "vitest";
import { CANNED_RESPONSES, cannedQuery, expandShortcut, fillCanned, matchCanned } from "./canned.js";

describe("canned responses", () => {
  it("opens the list for a slash and a word, and only then", () => {
    expect(cannedQuery("/")).toBe("");
    expect(cannedQuery("/Ver")).toBe("ver");
    expect(cannedQuery("/follow-up")).toBe("follow-up");
    expect(cannedQuery("see /etc/hosts")).toBeUndefined();
    expect(cannedQuery("/hi there")).toBeUndefined();
    expect(cannedQuery("and/or")).toBeUndefined();
    expect(cannedQuery("")).toBeUndefined();
  });

  it("ranks shortcuts that start with the query before titles and texts that contain it", () => {
    expect(matchCanned("").length).toBe(CANNED_RESPONSES.length);
    // "hi" and "hold" by their shortcuts, then the rest by their titles or texts, in list order.
    expect(
      matchCanned("h")
        .map((r) => r.shortcut)
        .slice(0, 3),
    ).toEqual(["hi", "hold", "order"]);
    expect(matchCanned("colleague").map((r) => r.shortcut)).toEqual(["transfer"]);
    expect(matchCanned("email").map((r) => r.shortcut)).toEqual(["verify", "order"]);
    expect(matchCanned("zzz")).toEqual([]);
  });

  it("fills in first names, and reads naturally without the customer's", () => {
    const hi = CANNED_RESPONSES.find((r) => r.shortcut === "hi")?.text ?? "";
    expect(fillCanned(hi, { customer: "Ada Lovelace", agent: "Grace Hopper" })).toMatch(/^Hi Ada, this is Grace\. Thanks/);
    expect(fillCanned(hi, { customer: null, agent: "Grace" })).toMatch(/^Hi there, this is Grace\./);
    expect(fillCanned("Bye {customer}!", { customer: "  " })).toBe("Bye there!");
  });

  it("expands a draft that is exactly a known shortcut", () => {
    expect(expandShortcut("/bye", { customer: "Ada" })).toBe("Thanks for getting in touch, Ada. Have a great day!");
    expect(expandShortcut(" /else ", {})).toBe("Is there anything else I can help you with today?");
    expect(expandShortcut("/nope", {})).toBeUndefined();
    expect(expandShortcut("/bye now", {})).toBeUndefined();
    expect(expandShortcut("bye", {})).toBeUndefined();
  });
});
