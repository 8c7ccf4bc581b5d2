/**
 * G.711 expansion (ITU-T G.711 µ-law and A-law to 16-bit linear), for WAV files that carry telephone
 * audio as recorded. Only decoding is needed here: what we write is linear PCM. The telephony package has
 * its own codec for RTP; the two packages may not import each other, and 30 lines are cheaper than a
 * shared dependency.
 */

function expandMuLaw(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

function expandALaw(code: number): number {
  const a = code ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let magnitude = (a & 0x0f) << 4;
  magnitude += segment === 0 ? 8 : 0x108;
  if (segment > 1) magnitude <<= segment - 1;
  return a & 0x80 ? magnitude : -magnitude;
}

/** 16-bit value of each of the 256 codes. */
export const MU_LAW_TABLE: Int16Array = Int16Array.from({ length: 256 }, (_, code) => expandMuLaw(code));
export const A_LAW_TABLE: Int16Array = Int16Array.from({ length: 256 }, (_, code) => expandALaw(code));
