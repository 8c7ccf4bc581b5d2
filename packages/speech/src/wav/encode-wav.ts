import { type Audio, SAMPLE_RATE } from "@switchboard/core";

const HEADER_BYTES = 44;

/**
 * Writes telephone audio as a canonical 44-byte-header WAV: 8 kHz, 16-bit linear PCM, mono. The format
 * every player and editor opens, so a downloaded recording or a cached prompt can simply be listened to.
 */
export function encodeWav(audio: Audio): Uint8Array {
  const dataBytes = audio.length * 2;
  const bytes = new Uint8Array(HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // linear PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, SAMPLE_RATE, true);
  view.setUint32(28, SAMPLE_RATE * 2, true); // bytes per second
  view.setUint16(32, 2, true); // bytes per frame
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < audio.length; i++) view.setInt16(HEADER_BYTES + i * 2, audio[i] as number, true);
  return bytes;
}
