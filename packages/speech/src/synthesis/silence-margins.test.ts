import { describe, expect, it } from "vitest";
import { withSilenceMargins } from "./silence-margins.js";

const tone = (samples: number) => Int16Array.from({ length: samples }, (_, i) => Math.round(8_000 * Math.sin(i / 3)));
const join = (...parts: Int16Array[]) => {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

describe("withSilenceMargins", () => {
  it("trims long silences to 100 ms around the sound", () => {
    const audio = join(new Int16Array(8_000), tone(4_000), new Int16Array(12_000));
    expect(withSilenceMargins(audio)).toEqual(join(new Int16Array(800), tone(4_000), new Int16Array(800)));
  });

  it("pads short silences to 100 ms, keeping the quiet samples that were there", () => {
    const hiss = Int16Array.from({ length: 400 }, (_, i) => (i % 2 ? 20 : -20));
    const audio = join(hiss, tone(1_040), new Int16Array(80));
    expect(withSilenceMargins(audio)).toEqual(join(new Int16Array(400), hiss, tone(1_040), new Int16Array(800)));
  });

  it("takes other margins", () => {
    expect(withSilenceMargins(join(tone(800), new Int16Array(8_000)), { marginMs: 50 })).toHaveLength(400 + 800 + 400);
  });

  it("makes silence empty", () => {
    expect(withSilenceMargins(new Int16Array(8_000))).toHaveLength(0);
    expect(withSilenceMargins(new Int16Array(0))).toHaveLength(0);
  });
});
