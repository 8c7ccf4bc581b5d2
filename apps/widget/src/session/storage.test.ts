import { describe, expect, it } from "vitest";
import { type KeyValueStorage, WidgetStorage } from "./storage.js";

class MapStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

describe("WidgetStorage", () => {
  it("keeps one record per entry point, merging changes and dropping undefined keys", () => {
    const backing = new MapStorage();
    const a = new WidgetStorage("ep_a", backing);
    a.update({ sessionSecret: "s1", draft: "hel" });
    a.update({ draft: undefined, ended: false });
    new WidgetStorage("ep_b", backing).update({ sessionSecret: "s2" });
    expect(new WidgetStorage("ep_a", backing).get()).toEqual({ sessionSecret: "s1", ended: false });
    expect(JSON.parse(backing.map.get("switchboard.widget.ep_b") ?? "{}")).toEqual({ sessionSecret: "s2" });
  });

  it("survives storage that is missing, corrupt or refuses writes", () => {
    const memoryOnly = new WidgetStorage("ep", undefined);
    memoryOnly.update({ sessionSecret: "s" });
    expect(memoryOnly.get().sessionSecret).toBe("s");

    const corrupt = new MapStorage();
    corrupt.setItem("switchboard.widget.ep", "{not json");
    expect(new WidgetStorage("ep", corrupt).get()).toEqual({});

    const full: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => {},
    };
    const store = new WidgetStorage("ep", full);
    store.update({ draft: "kept in memory" });
    expect(store.get().draft).toBe("kept in memory");
  });
});
