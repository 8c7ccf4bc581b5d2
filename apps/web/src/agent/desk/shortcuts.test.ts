import { describe, expect, it } from "vitest";
import { commandFor, type KeyPress, stepThrough } from "./shortcuts.js";

const press = (code: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  altKey: true,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  code,
  ...modifiers,
});

describe("desk shortcuts", () => {
  it("maps Alt plus a letter or digit to a command, by the physical key", () => {
    expect(commandFor(press("KeyA"))).toEqual({ type: "accept" });
    expect(commandFor(press("KeyD"))).toEqual({ type: "decline" });
    expect(commandFor(press("Digit3"))).toEqual({ type: "select", index: 2 });
    expect(commandFor(press("ArrowDown"))).toEqual({ type: "next" });
    expect(commandFor(press("KeyR"))).toEqual({ type: "resolve" });
    expect(commandFor(press("KeyT"))).toEqual({ type: "transfer" });
  });

  it("leaves every other key alone: plain letters, Ctrl and Cmd combinations, Digit0", () => {
    expect(commandFor(press("KeyA", { altKey: false }))).toBeUndefined();
    expect(commandFor(press("KeyA", { ctrlKey: true }))).toBeUndefined();
    expect(commandFor(press("KeyA", { metaKey: true }))).toBeUndefined();
    expect(commandFor(press("KeyA", { shiftKey: true }))).toBeUndefined();
    expect(commandFor(press("Digit0"))).toBeUndefined();
    expect(commandFor(press("KeyZ"))).toBeUndefined();
  });

  it("steps through conversations, wrapping around", () => {
    expect(stepThrough(["a", "b", "c"], "b", 1)).toBe("c");
    expect(stepThrough(["a", "b", "c"], "c", 1)).toBe("a");
    expect(stepThrough(["a", "b", "c"], "a", -1)).toBe("c");
    expect(stepThrough(["a", "b"], undefined, -1)).toBe("b");
    expect(stepThrough([], "a", 1)).toBeUndefined();
  });
});
