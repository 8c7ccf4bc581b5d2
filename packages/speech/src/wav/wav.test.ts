import { DomainError, SAMPLE_RATE } from "@switchboard/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeWav, readWav } from "./decode-wav.js";
import { encodeWav } from "./encode-wav.js";
import { A_LAW_TABLE, MU_LAW_TABLE } from "./g711.js";

interface WavSpec {
  readonly code?: number;
  readonly channels?: number;
  readonly rate?: number;
  readonly bits?: number;
  readonly blockAlign?: number;
  readonly data: Uint8Array;
  readonly dataSize?: number;
  readonly riffSize?: number;
  /** Chunks between fmt and data. */
  readonly extra?: readonly { id: string; body: Uint8Array }[];
  /** A whole fmt body instead of the 16-byte one built from the fields. */
  readonly fmt?: Uint8Array;
}

/** Builds a WAV file byte by byte, so that each test states exactly the header it means. */
function wav(spec: WavSpec): Uint8Array {
  const channels = spec.channels ?? 1;
  const bits = spec.bits ?? 16;
  const rate = spec.rate ?? 8_000;
  const blockAlign = spec.blockAlign ?? (channels * bits) / 8;
  const fmt = spec.fmt ?? new Uint8Array(16);
  if (!spec.fmt) {
    const v = new DataView(fmt.buffer);
    v.setUint16(0, spec.code ?? 1, true);
    v.setUint16(2, channels, true);
    v.setUint32(4, rate, true);
    v.setUint32(8, rate * blockAlign, true);
    v.setUint16(12, blockAlign, true);
    v.setUint16(14, bits, true);
  }
  const chunks = [
    chunk("fmt ", fmt),
    ...(spec.extra ?? []).map((c) => chunk(c.id, c.body)),
    chunk("data", spec.data, spec.dataSize),
  ];
  const body = concat([ascii("WAVE"), ...chunks]);
  return concat([ascii("RIFF"), u32(spec.riffSize ?? body.length), body]);
}

function chunk(id: string, body: Uint8Array, size = body.length): Uint8Array {
  return concat([ascii(id), u32(size), body, new Uint8Array(body.length % 2)]);
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const u32 = (value: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
};
const concat = (parts: readonly Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};
const int16Bytes = (samples: Int16Array) => new Uint8Array(samples.buffer.slice(0));

const sine = (frequency: number, rate: number, ms: number, amplitude = 16_000) =>
  Int16Array.from({ length: (rate * ms) / 1000 }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / rate)),
  );

const rms = (samples: Int16Array, from = 0, to = samples.length) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / (to - from));
};

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe("encodeWav", () => {
  it("writes a canonical 8 kHz 16-bit mono header", () => {
    const bytes = encodeWav(Int16Array.of(1, -2, 3));
    const view = new DataView(bytes.buffer);
    expect(bytes).toHaveLength(44 + 6);
    expect(String.fromCharCode(...bytes.subarray(0, 4), ...bytes.subarray(8, 16), ...bytes.subarray(36, 40))).toBe(
      "RIFFWAVEfmt data",
    );
    expect(view.getUint32(4, true)).toBe(36 + 6);
    expect([view.getUint16(20, true), view.getUint16(22, true), view.getUint32(24, true), view.getUint16(34, true)]).toEqual([
      1,
      1,
      SAMPLE_RATE,
      16,
    ]);
    expect(view.getInt16(46, true)).toBe(-2);
  });

  it("round-trips telephone audio exactly", () => {
    const audio = sine(1_000, 8_000, 250);
    audio[0] = -32768;
    audio[1] = 32767;
    expect(decodeWav(encodeWav(audio))).toEqual(audio);
    expect(decodeWav(encodeWav(new Int16Array(0)))).toEqual(new Int16Array(0));
  });
});

describe("decodeWav", () => {
  it("decodes µ-law with the G.711 reference values", () => {
    expect([...decodeWav(wav({ code: 7, bits: 8, data: Uint8Array.of(0x00, 0x80, 0xff, 0x7f) }))]).toEqual([-32124, 32124, 0, 0]);
  });

  it("decodes a µ-law tone to within G.711's quantization", () => {
    const tone = sine(1_000, 8_000, 200);
    const nearest = (table: Int16Array, sample: number) => {
      let best = 0;
      for (let code = 1; code < 256; code++) {
        if (Math.abs((table[code] as number) - sample) < Math.abs((table[best] as number) - sample)) best = code;
      }
      return best;
    };
    const mu = decodeWav(wav({ code: 7, bits: 8, data: Uint8Array.from(tone, (s) => nearest(MU_LAW_TABLE, s)) }));
    const a = decodeWav(wav({ code: 6, bits: 8, data: Uint8Array.from(tone, (s) => nearest(A_LAW_TABLE, s)) }));
    for (const decoded of [mu, a]) {
      expect(decoded).toHaveLength(tone.length);
      for (const [i, sample] of tone.entries()) {
        expect(Math.abs((decoded[i] as number) - sample)).toBeLessThanOrEqual(Math.abs(sample) / 16 + 16);
      }
    }
  });

  it("decodes A-law with the G.711 reference values", () => {
    expect([...decodeWav(wav({ code: 6, bits: 8, data: Uint8Array.of(0xd5, 0x55, 0x2a, 0xaa) }))]).toEqual([
      8, -8, -32256, 32256,
    ]);
  });

  it("decodes unsigned 8-bit PCM (128 is silence)", () => {
    expect([...decodeWav(wav({ bits: 8, data: Uint8Array.of(0, 128, 255) }))]).toEqual([-32768, 0, 32512]);
  });

  it("decodes 24-bit PCM, 32-bit float and the extensible header", () => {
    const pcm24 = Uint8Array.of(0x00, 0x00, 0x80, 0xff, 0xff, 0x3f); // -2^23, 2^22 - 1
    expect([...decodeWav(wav({ bits: 24, data: pcm24 }))]).toEqual([-32768, 16384]);

    const floats = new Uint8Array(Float32Array.of(0.5, -0.25, Number.NaN).buffer);
    expect([...decodeWav(wav({ code: 3, bits: 32, data: floats }))]).toEqual([16384, -8192, 0]);

    const extensible = new Uint8Array(40);
    const v = new DataView(extensible.buffer);
    v.setUint16(0, 0xfffe, true);
    v.setUint16(2, 1, true);
    v.setUint32(4, 8_000, true);
    v.setUint32(8, 16_000, true);
    v.setUint16(12, 2, true);
    v.setUint16(14, 16, true);
    v.setUint16(16, 22, true);
    v.setUint16(18, 16, true);
    v.setUint16(24, 1, true); // KSDATAFORMAT_SUBTYPE_PCM
    extensible.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26);
    expect([...decodeWav(wav({ fmt: extensible, data: int16Bytes(Int16Array.of(5, -5)) }))]).toEqual([5, -5]);
    expect(readWav(wav({ fmt: extensible, data: new Uint8Array(0) })).encoding).toBe("pcm");
  });

  it("mixes stereo to mono and resamples 16 kHz to 8 kHz", () => {
    const left = sine(1_000, 16_000, 500);
    const stereo = new Int16Array(left.length * 2);
    left.forEach((sample, i) => {
      stereo[2 * i] = sample;
      stereo[2 * i + 1] = sample;
    });
    const audio = decodeWav(wav({ channels: 2, rate: 16_000, data: int16Bytes(stereo) }));
    expect(audio).toHaveLength(4_000);
    expect(rms(audio, 1_000, 3_000)).toBeCloseTo(16_000 / Math.SQRT2, -2);
  });

  it("accepts what streaming writers produce: sizes past the end, and a partial last frame", () => {
    const data = concat([int16Bytes(Int16Array.of(1, 2, 3)), Uint8Array.of(9)]);
    // (without the pad byte the builder adds to an odd chunk: a streaming writer does not know it is the end)
    const bytes = wav({ data, dataSize: 0x7ffff000, riffSize: 0x7ffff024 }).subarray(0, -1);
    expect([...decodeWav(bytes)]).toEqual([1, 2, 3]);
  });

  it("skips other chunks, padded to an even length, and ignores bytes after the RIFF chunk", () => {
    const extra = [
      { id: "LIST", body: ascii("INFOISFT") },
      { id: "odd ", body: Uint8Array.of(1, 2, 3) },
    ];
    const bytes = wav({ extra, data: int16Bytes(Int16Array.of(7, -7)) });
    expect([...decodeWav(concat([bytes, ascii("junk")]))]).toEqual([7, -7]);
  });

  it.each([
    ["nothing", new Uint8Array(0)],
    ["text", ascii("hello, this is not audio at all")],
    ["a RIFF of another type", concat([ascii("RIFF"), u32(4), ascii("AVI ")])],
    ["no fmt chunk", concat([ascii("RIFF"), u32(4), ascii("WAVE")])],
    ["data before fmt", concat([ascii("RIFF"), u32(12), ascii("WAVE"), chunk("data", new Uint8Array(2))])],
    ["a short fmt chunk", concat([ascii("RIFF"), u32(20), ascii("WAVE"), chunk("fmt ", new Uint8Array(8))])],
    ["no data chunk", wav({ data: new Uint8Array(0) }).subarray(0, 36)],
    ["a chunk past the end", concat([ascii("RIFF"), u32(100), ascii("WAVE"), ascii("LIST"), u32(1000), new Uint8Array(10)])],
    ["zero channels", wav({ channels: 0, blockAlign: 2, data: new Uint8Array(2) })],
    ["a zero sample rate", wav({ rate: 0, data: new Uint8Array(2) })],
    ["a block size that does not add up", wav({ blockAlign: 3, data: new Uint8Array(6) })],
    ["12-bit samples", wav({ bits: 12, blockAlign: 2, data: new Uint8Array(2) })],
    ["16-bit µ-law", wav({ code: 7, bits: 16, data: new Uint8Array(2) })],
  ])("rejects %s as audio.invalid_wav", (_, bytes) => {
    expect(codeOf(() => decodeWav(bytes))).toBe("audio.invalid_wav");
  });

  it.each([
    ["IMA ADPCM", wav({ code: 0x11, bits: 8, data: new Uint8Array(2) })],
    ["MP3 in WAV", wav({ code: 0x55, bits: 8, data: new Uint8Array(2) })],
    ["six channels", wav({ channels: 6, data: new Uint8Array(12) })],
    ["a 500 Hz sample rate", wav({ rate: 500, data: new Uint8Array(2) })],
    ["64-bit integers", wav({ bits: 64, data: new Uint8Array(8) })],
    ["a big-endian RIFX file", concat([ascii("RIFX"), wav({ data: new Uint8Array(2) }).subarray(4)])],
  ])("rejects %s as audio.unsupported_format", (_, bytes) => {
    expect(codeOf(() => decodeWav(bytes))).toBe("audio.unsupported_format");
  });

  it("never crashes on a mangled file: it decodes or throws one of its two codes", () => {
    const valid = wav({
      code: 1,
      channels: 2,
      rate: 11_025,
      extra: [{ id: "LIST", body: ascii("INFO") }],
      data: int16Bytes(sine(440, 11_025, 20)),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(80), fc.nat(255)), { minLength: 1, maxLength: 6 }),
        fc.nat(valid.length),
        (edits, cut) => {
          const bytes = valid.slice(0, cut);
          for (const [offset, value] of edits) if (offset < bytes.length) bytes[offset] = value;
          const code = codeOf(() => decodeWav(bytes));
          expect([undefined, "audio.invalid_wav", "audio.unsupported_format"]).toContain(code);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
