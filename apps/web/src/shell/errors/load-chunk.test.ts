import { afterEach, describe, expect, it, vi } from "vitest";
import { loadChunk } from "./load-chunk.js";

const memory = () => {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
};

afterEach(() => vi.unstubAllGlobals());

describe("loadChunk", () => {
  it("reloads the page once when a chunk is gone (a new version was deployed), then gives up", async () => {
    const reload = vi.fn();
    vi.stubGlobal("location", { reload });
    const storage = memory();
    const missing = () => Promise.reject(new TypeError("Failed to fetch dynamically imported module"));
    void loadChunk(missing, storage); // stays pending: the page is reloading
    await Promise.resolve();
    await Promise.resolve();
    expect(reload).toHaveBeenCalledTimes(1);
    await expect(loadChunk(missing, storage)).rejects.toThrow("dynamically imported");
    expect(reload).toHaveBeenCalledTimes(1);
    // A successful load clears the mark, so the next deployment may reload again.
    await expect(loadChunk(() => Promise.resolve("module"), storage)).resolves.toBe("module");
    void loadChunk(missing, storage);
    await Promise.resolve();
    await Promise.resolve();
    expect(reload).toHaveBeenCalledTimes(2);
  });
});
