import { type Audio, DomainError } from "@switchboard/core";
import { toTelephoneAudio } from "../resampling/index.js";
import { A_LAW_TABLE, MU_LAW_TABLE } from "./g711.js";

/**
 * A strict reader of RIFF/WAVE files: what an admin uploads as a prompt and what espeak-ng writes.
 *
 * Why our own rather than a package: the formats a phone system meets are few (linear PCM, float, G.711)
 * and their decoding is a table lookup, while what matters is telling a broken file (`audio.invalid_wav`)
 * from a valid one we cannot play (`audio.unsupported_format`) and never crashing or allocating on a
 * header's word. Neither `wavefile` (an untyped UMD bundle whose errors mix both cases, and which threw a
 * RangeError on a mutated header) nor `@echogarden/wave-codec` (a 0.x release) made that easier.
 *
 * Tolerated, because real writers do it: a RIFF or data size larger than the file (streaming writers such
 * as `espeak-ng --stdout` put 0x7FFFF000 there because they do not know the length yet; the data then runs
 * to the end of the file), bytes after the RIFF chunk, a trailing partial sample frame. Everything else
 * that does not add up is rejected.
 */

export type WavEncoding = "pcm" | "float" | "mu-law" | "a-law";

/** A decoded WAV file before it is brought to telephone audio. */
export interface WavContents {
  readonly encoding: WavEncoding;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  /** One array per channel, samples on a -1 … 1 scale. */
  readonly channels: readonly Float32Array[];
}

/** Rates outside these are not audio a phone call would play (and would make resampling filters huge). */
export const MIN_WAV_SAMPLE_RATE = 1_000;
export const MAX_WAV_SAMPLE_RATE = 384_000;
/** Mono or stereo: anything with more channels is music production, not a prompt. */
export const MAX_WAV_CHANNELS = 2;

const FORMAT_PCM = 0x0001;
const FORMAT_FLOAT = 0x0003;
const FORMAT_A_LAW = 0x0006;
const FORMAT_MU_LAW = 0x0007;
const FORMAT_EXTENSIBLE = 0xfffe;
/** The 14 bytes after the format code in a WAVE_FORMAT_EXTENSIBLE sub-format GUID (KSDATAFORMAT_SUBTYPE_*). */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const invalid = (detail: string) => new DomainError("audio.invalid_wav", "invalid", `Not a valid WAV file: ${detail}.`);
const unsupported = (detail: string) =>
  new DomainError("audio.unsupported_format", "invalid", `This WAV file's audio cannot be played: ${detail}.`);

/** Decodes a WAV file to telephone audio: 8 kHz, mono, 16-bit. Throws `audio.invalid_wav` or `audio.unsupported_format`. */
export function decodeWav(bytes: Uint8Array): Audio {
  const { channels, sampleRate } = readWav(bytes);
  return toTelephoneAudio(channels, sampleRate);
}

/** Reads a WAV file's samples as they are (rate and channels untouched). */
export function readWav(bytes: Uint8Array): WavContents {
  if (!(bytes instanceof Uint8Array)) throw invalid("expected bytes");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw invalid("shorter than a RIFF header");
  const riff = fourCc(bytes, 0);
  if (riff === "RIFX" || riff === "RF64") throw unsupported(`${riff} files (big-endian or 64-bit RIFF) are not supported`);
  if (riff !== "RIFF") throw invalid("no RIFF header");
  if (fourCc(bytes, 8) !== "WAVE") throw invalid("a RIFF file, but not of type WAVE");
  const end = Math.min(bytes.length, 8 + view.getUint32(4, true));

  let format: Format | undefined;
  let offset = 12;
  while (offset + 8 <= end) {
    const id = fourCc(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "data") {
      if (!format) throw invalid("the data chunk comes before the fmt chunk");
      // A size past the end is a streaming writer's placeholder (or a cut-off file): the data is what is there.
      const available = Math.min(size, bytes.length - body);
      const { encoding, sampleRate, bitsPerSample } = format;
      return { encoding, sampleRate, bitsPerSample, channels: format.decode(bytes.subarray(body, body + available)) };
    }
    if (body + size > end) throw invalid(`the "${printable(id)}" chunk runs past the end of the file`);
    if (id === "fmt ") {
      if (format) throw invalid("more than one fmt chunk");
      format = parseFormat(new DataView(bytes.buffer, bytes.byteOffset + body, size));
    }
    offset = body + size + (size % 2); // chunks are padded to an even length
  }
  throw invalid(format ? "no data chunk" : "no fmt chunk");
}

interface Format extends Omit<WavContents, "channels"> {
  decode(data: Uint8Array): Float32Array[];
}

function parseFormat(fmt: DataView): Format {
  if (fmt.byteLength < 16) throw invalid(`the fmt chunk has ${fmt.byteLength} bytes, fewer than 16`);
  let code = fmt.getUint16(0, true);
  const channelCount = fmt.getUint16(2, true);
  const sampleRate = fmt.getUint32(4, true);
  const blockAlign = fmt.getUint16(12, true);
  const bitsPerSample = fmt.getUint16(14, true);

  if (code === FORMAT_EXTENSIBLE) {
    if (fmt.byteLength < 40 || fmt.getUint16(16, true) < 22) throw invalid("an extensible fmt chunk shorter than 40 bytes");
    code = fmt.getUint16(24, true);
    const guidTail = GUID_TAIL.every((byte, i) => fmt.getUint8(26 + i) === byte);
    if (!guidTail) throw unsupported("an extensible format with a sub-format that is not a standard one");
  }
  if (channelCount === 0) throw invalid("zero channels");
  if (sampleRate === 0) throw invalid("a sample rate of zero");
  if (bitsPerSample === 0 || bitsPerSample % 8 !== 0) throw invalid(`${bitsPerSample} bits per sample`);
  if (blockAlign !== (channelCount * bitsPerSample) / 8) {
    throw invalid(`a block of ${blockAlign} bytes for ${channelCount} channels of ${bitsPerSample} bits`);
  }
  if (channelCount > MAX_WAV_CHANNELS) throw unsupported(`${channelCount} channels (mono or stereo only)`);
  if (sampleRate < MIN_WAV_SAMPLE_RATE || sampleRate > MAX_WAV_SAMPLE_RATE) {
    throw unsupported(`a sample rate of ${sampleRate} Hz (${MIN_WAV_SAMPLE_RATE} to ${MAX_WAV_SAMPLE_RATE} Hz only)`);
  }

  const encoding = encodingOf(code, bitsPerSample);
  const sampleOf = sampleReader(encoding, bitsPerSample);
  const bytesPerSample = bitsPerSample / 8;
  return {
    encoding,
    sampleRate,
    bitsPerSample,
    decode(data) {
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const frames = Math.floor(data.length / blockAlign); // a trailing partial frame is dropped
      const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
      for (let frame = 0; frame < frames; frame++) {
        for (let channel = 0; channel < channelCount; channel++) {
          (channels[channel] as Float32Array)[frame] = sampleOf(view, frame * blockAlign + channel * bytesPerSample);
        }
      }
      return channels;
    },
  };
}

function encodingOf(code: number, bits: number): WavEncoding {
  switch (code) {
    case FORMAT_PCM:
      if (bits > 32) throw unsupported(`linear PCM of ${bits} bits`);
      return "pcm";
    case FORMAT_FLOAT:
      if (bits !== 32 && bits !== 64) throw unsupported(`floating point of ${bits} bits`);
      return "float";
    case FORMAT_MU_LAW:
    case FORMAT_A_LAW:
      if (bits !== 8) throw invalid(`G.711 with ${bits} bits per sample`);
      return code === FORMAT_MU_LAW ? "mu-law" : "a-law";
    default:
      throw unsupported(`format code 0x${code.toString(16).padStart(4, "0")} (only PCM, float, µ-law and A-law)`);
  }
}

/** How one sample is read, to a -1 … 1 float. */
function sampleReader(encoding: WavEncoding, bits: number): (view: DataView, offset: number) => number {
  switch (encoding) {
    case "mu-law":
      return (view, offset) => (MU_LAW_TABLE[view.getUint8(offset)] as number) / 32768;
    case "a-law":
      return (view, offset) => (A_LAW_TABLE[view.getUint8(offset)] as number) / 32768;
    case "float":
      // NaN or infinity would smear over the resampling filter's whole length: read them as silence.
      return bits === 32
        ? (view, offset) => finiteOrZero(view.getFloat32(offset, true))
        : (view, offset) => finiteOrZero(view.getFloat64(offset, true));
    case "pcm":
      switch (bits) {
        case 8: // the one unsigned width: 128 is silence
          return (view, offset) => (view.getUint8(offset) - 128) / 128;
        case 16:
          return (view, offset) => view.getInt16(offset, true) / 32768;
        case 24:
          return (view, offset) => ((view.getInt8(offset + 2) << 16) | view.getUint16(offset, true)) / 8388608;
        default:
          return (view, offset) => view.getInt32(offset, true) / 2147483648;
      }
  }
}

const finiteOrZero = (value: number) => (Number.isFinite(value) ? value : 0);

function fourCc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset] ?? 0, bytes[offset + 1] ?? 0, bytes[offset + 2] ?? 0, bytes[offset + 3] ?? 0);
}

/** A chunk id fit for an error message, whatever bytes it is made of. */
function printable(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, "?");
}
