import { describe, expect, it } from "vitest";
import { decodeG711, encodeG711, G711_SILENCE } from "./g711.js";

const ramp = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);

describe("G.711", () => {
  it.each(["PCMU", "PCMA"] as const)("%s keeps the error within half a quantization step of the segment", (law) => {
    const decoded = decodeG711(law, encodeG711(law, ramp));
    for (let i = 0; i < ramp.length; i += 7) {
      const sample = ramp[i] as number;
      const error = Math.abs((decoded[i] as number) - sample);
      // The step doubles per segment: about 1/16 of the magnitude at most, plus the smallest step.
      expect(error).toBeLessThanOrEqual(Math.abs(sample) / 16 + 16);
    }
  });

  it.each(["PCMU", "PCMA"] as const)("%s decoding then encoding is the identity on codes", (law) => {
    const codes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const again = encodeG711(law, decodeG711(law, codes));
    for (let code = 0; code < 256; code++) {
      // µ-law has two zeros (0x7F and 0xFF); both decode to 0 and encode to 0xFF.
      if (law === "PCMU" && code === 0x7f) continue;
      expect(again[code], `code ${code}`).toBe(code);
    }
  });

  it("knows the reference values", () => {
    expect([...decodeG711("PCMU", Buffer.from([0x00, 0x80, 0xff, 0x7f]))]).toEqual([-32124, 32124, 0, 0]);
    expect([...decodeG711("PCMA", Buffer.from([0xd5, 0x55, 0x2a, 0xaa]))]).toEqual([8, -8, -32256, 32256]);
    expect(encodeG711("PCMU", new Int16Array([0]))[0]).toBe(G711_SILENCE.PCMU);
    expect(encodeG711("PCMA", new Int16Array([0]))[0]).toBe(G711_SILENCE.PCMA);
  });
});
