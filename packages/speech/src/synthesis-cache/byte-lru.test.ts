import { describe, expect, it } from "vitest";
import { ByteLru } from "./byte-lru.js";

describe("ByteLru", () => {
  const lru = () => new ByteLru<string>(10, (value) => value.length);

  it("evicts the least recently used entries to stay within its bytes", () => {
    const cache = lru();
    cache.set("a", "aaaa");
    cache.set("b", "bbbb");
    expect(cache.get("a")).toBe("aaaa"); // now b is the oldest
    cache.set("c", "cccc");
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe("aaaa");
    expect(cache.get("c")).toBe("cccc");
    expect(cache.bytes).toBe(8);
    expect(cache.size).toBe(2);
  });

  it("replaces an entry's bytes and does not keep values larger than the budget", () => {
    const cache = lru();
    cache.set("a", "aaaa");
    cache.set("a", "aaaaaa");
    expect(cache.bytes).toBe(6);
    cache.set("big", "x".repeat(11));
    expect(cache.get("big")).toBeUndefined();
    expect(cache.get("a")).toBe("aaaaaa");
    cache.delete("a");
    expect(cache.bytes).toBe(0);
  });
});
