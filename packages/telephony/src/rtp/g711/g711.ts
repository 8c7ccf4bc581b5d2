/**
 * ITU-T G.711 µ-law and A-law, by tables: 256-entry decoders and 65,536-entry encoders built once from the
 * reference algorithm (the public-domain Sun g711.c), so that coding a 20 ms frame is 160 lookups.
 */
const ULAW_DECODE = new Int16Array(256);
const ALAW_DECODE = new Int16Array(256);
const ULAW_ENCODE = new Uint8Array(65536);
const ALAW_ENCODE = new Uint8Array(65536);

const SEG_UEND = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const SEG_AEND = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segment(value: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (value <= (ends[i] as number)) return i;
  return ends.length;
}

function linearToUlaw(sample: number): number {
  let value = sample >> 2;
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  if (value > 8159) value = 8159;
  value += 0x84 >> 2;
  const seg = segment(value, SEG_UEND);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((value >> (seg + 1)) & 0xf)) ^ mask;
}

function ulawToLinear(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

function linearToAlaw(sample: number): number {
  let value = sample >> 3;
  let mask: number;
  if (value >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    value = -value - 1;
  }
  const seg = segment(value, SEG_AEND);
  if (seg >= 8) return 0x7f ^ mask;
  let code = seg << 4;
  code |= seg < 2 ? (value >> 1) & 0x0f : (value >> seg) & 0x0f;
  return code ^ mask;
}

function alawToLinear(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

for (let code = 0; code < 256; code++) {
  ULAW_DECODE[code] = ulawToLinear(code);
  ALAW_DECODE[code] = alawToLinear(code);
}
for (let i = 0; i < 65536; i++) {
  ULAW_ENCODE[i] = linearToUlaw(i - 32768);
  ALAW_ENCODE[i] = linearToAlaw(i - 32768);
}

export type G711Law = "PCMU" | "PCMA";

/** Encodes 16-bit linear samples (8 kHz) into G.711 bytes. */
export function encodeG711(law: G711Law, samples: Int16Array): Buffer {
  return encodeG711Into(law, samples, Buffer.allocUnsafe(samples.length));
}

/**
 * Encodes into `out` (at least `samples.length` bytes) and returns it: the media plane encodes a frame per
 * stream every 20 ms, and reusing one buffer per stream keeps that off the garbage collector.
 */
export function encodeG711Into<T extends Uint8Array>(law: G711Law, samples: Int16Array, out: T): T {
  const table = law === "PCMU" ? ULAW_ENCODE : ALAW_ENCODE;
  for (let i = 0; i < samples.length; i++) out[i] = table[(samples[i] as number) + 32768] as number;
  return out;
}

/** Decodes G.711 bytes into 16-bit linear samples. */
export function decodeG711(law: G711Law, bytes: Uint8Array): Int16Array {
  return decodeG711Into(law, bytes, new Int16Array(bytes.length));
}

/** Decodes into `out` (at least `bytes.length` samples) and returns it; see `encodeG711Into`. */
export function decodeG711Into(law: G711Law, bytes: Uint8Array, out: Int16Array): Int16Array {
  const table = law === "PCMU" ? ULAW_DECODE : ALAW_DECODE;
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i] as number] as number;
  return out;
}

/** The byte that decodes to (near) zero: what a silent frame is made of. */
export const G711_SILENCE: Readonly<Record<G711Law, number>> = { PCMU: 0xff, PCMA: 0xd5 };
