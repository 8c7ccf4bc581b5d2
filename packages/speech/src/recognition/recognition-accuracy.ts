import type { Audio, Grammar } from "@switchboard/core";
import { DEFAULT_MIN_CONFIDENCE, type Decoding } from "./pocketsphinx-recognizer.js";
import { attendantGrammar, type CorpusUtterance, lineNoise, throughTelephoneChannel } from "./recognition-corpus.js";

/** A recognizer that shows its work: `PocketsphinxRecognizer`, or a test double. */
export interface DecodingRecognizer {
  decode(audio: Audio, grammar: Grammar): Promise<Decoding>;
}

export interface ChannelCondition {
  readonly name: string;
  /** White noise at this signal-to-noise ratio; clean when left out. */
  readonly snrDb?: number;
}

export const DEFAULT_CONDITIONS: readonly ChannelCondition[] = [{ name: "clean" }, { name: "noise 20 dB", snrDb: 20 }];

export interface AccuracyOptions {
  readonly conditions?: readonly ChannelCondition[];
  /** Confidence below which an answer counts as null (default: the recognizer's default, 0.5). */
  readonly minConfidence?: number;
  /** Decodings at once (default 1, which makes the latency figures those of an idle machine). */
  readonly concurrency?: number;
}

/** Counts of one voice in one condition (or of a whole condition, or of everything). */
export interface Tally {
  readonly menu: Score;
  readonly names: Score;
  /** In-grammar utterances answered with the wrong choice. */
  readonly wrong: number;
  /** In-grammar utterances answered null. */
  readonly rejected: number;
  /** Words outside the grammar answered null, out of those said. */
  readonly outOfGrammar: Score;
}

export interface Score {
  readonly right: number;
  readonly total: number;
}

export interface AccuracyReport {
  readonly minConfidence: number;
  readonly rows: readonly { readonly voice: string; readonly condition: string; readonly tally: Tally }[];
  readonly byCondition: readonly { readonly condition: string; readonly tally: Tally }[];
  readonly overall: Tally;
  /** Audio with no speech: how many answered null. */
  readonly silenceAndNoise: readonly { readonly name: string; readonly rejected: boolean }[];
  /** Wall time of each decoding that ran the decoder (milliseconds). */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly max: number; readonly mean: number };
  /** Every in-grammar outcome with its score, for calibrating the threshold. */
  readonly scores: readonly {
    readonly right: boolean;
    readonly inGrammar: boolean;
    readonly scorePerFrame: number;
    readonly confidence: number;
  }[];
}

/** Runs every utterance through each channel condition and the recognizer, and counts. */
export async function measureAccuracy(
  recognizer: DecodingRecognizer,
  corpus: readonly CorpusUtterance[],
  options: AccuracyOptions = {},
): Promise<AccuracyReport> {
  const grammar = attendantGrammar();
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const conditions = options.conditions ?? DEFAULT_CONDITIONS;
  const jobs = conditions.flatMap((condition) =>
    corpus.map((utterance, index) => ({
      condition,
      utterance,
      audio: throughTelephoneChannel(utterance.audio, { snrDb: condition.snrDb, seed: index + 1 }),
    })),
  );
  const outcomes: { job: (typeof jobs)[number]; decoding: Decoding; ms: number }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as (typeof jobs)[number];
      const started = performance.now();
      const decoding = await recognizer.decode(job.audio, grammar);
      outcomes.push({ job, decoding, ms: performance.now() - started });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));

  const answer = (decoding: Decoding) =>
    decoding.recognition && decoding.recognition.confidence >= minConfidence ? decoding.recognition.choiceId : null;
  const tally = (selected: typeof outcomes): Tally => {
    const count = (kind: CorpusUtterance["kind"], test: (o: (typeof outcomes)[number]) => boolean) =>
      selected.filter((o) => o.job.utterance.kind === kind && test(o)).length;
    const inGrammar = selected.filter((o) => o.job.utterance.kind !== "out-of-grammar");
    return {
      menu: { right: count("menu", (o) => answer(o.decoding) === o.job.utterance.expected), total: count("menu", () => true) },
      names: { right: count("name", (o) => answer(o.decoding) === o.job.utterance.expected), total: count("name", () => true) },
      wrong: inGrammar.filter((o) => {
        const got = answer(o.decoding);
        return got !== null && got !== o.job.utterance.expected;
      }).length,
      rejected: inGrammar.filter((o) => answer(o.decoding) === null).length,
      outOfGrammar: {
        right: count("out-of-grammar", (o) => answer(o.decoding) === null),
        total: count("out-of-grammar", () => true),
      },
    };
  };

  const voices = [...new Set(corpus.map((u) => u.voice.name))];
  const rows = conditions.flatMap((condition) =>
    voices.map((voice) => ({
      voice,
      condition: condition.name,
      tally: tally(outcomes.filter((o) => o.job.condition === condition && o.job.utterance.voice.name === voice)),
    })),
  );

  const silenceAndNoise: { name: string; rejected: boolean }[] = [];
  for (const [name, audio] of [
    ["silence (µ-law zeros), 2 s", lineNoise(2_000, Number.NEGATIVE_INFINITY)],
    ["white noise -50 dBFS, 2 s", lineNoise(2_000, -50, 11)],
    ["white noise -35 dBFS, 2 s", lineNoise(2_000, -35, 12)],
    ["white noise -20 dBFS, 2 s", lineNoise(2_000, -20, 13)],
  ] as const) {
    const decoding = await recognizer.decode(audio, grammar);
    silenceAndNoise.push({ name, rejected: answer(decoding) === null });
  }

  const times = outcomes
    .filter((o) => o.decoding.decoderMs > 0)
    .map((o) => o.ms)
    .sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return {
    minConfidence,
    rows,
    byCondition: conditions.map((condition) => ({
      condition: condition.name,
      tally: tally(outcomes.filter((o) => o.job.condition === condition)),
    })),
    overall: tally(outcomes),
    silenceAndNoise,
    latencyMs: { p50: at(0.5), p90: at(0.9), max: at(1), mean: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length) },
    scores: outcomes.map((o) => ({
      right: o.decoding.recognition?.choiceId === o.job.utterance.expected,
      inGrammar: o.job.utterance.kind !== "out-of-grammar",
      scorePerFrame: o.decoding.scorePerFrame,
      confidence: o.decoding.recognition?.confidence ?? 0,
    })),
  };
}

export const ratio = (score: Score): number => (score.total === 0 ? 0 : score.right / score.total);

/** The report as a few plain-text tables. */
export function formatAccuracyReport(report: AccuracyReport): string {
  const pct = (score: Score) => `${(100 * ratio(score)).toFixed(0).padStart(3)}% (${score.right}/${score.total})`;
  const inGrammar = (t: Tally) => t.menu.total + t.names.total;
  const line = (label: string, t: Tally) =>
    `${label.padEnd(36)} ${pct(t.menu).padEnd(15)} ${pct(t.names).padEnd(15)} ${String(t.wrong).padStart(3)}/${inGrammar(t)}   ${String(t.rejected).padStart(3)}/${inGrammar(t)}   ${pct(t.outOfGrammar)}`;
  const out = [
    `threshold: confidence >= ${report.minConfidence}`,
    "",
    `${"voice / condition".padEnd(36)} ${"menu options".padEnd(15)} ${"names".padEnd(15)} wrong    rejected  out-of-grammar rejected`,
    ...report.rows.map((row) => line(`${row.voice} / ${row.condition}`, row.tally)),
    "",
    ...report.byCondition.map((c) => line(`all voices / ${c.condition}`, c.tally)),
    line("all voices, all conditions", report.overall),
    "",
    `no speech: ${report.silenceAndNoise.map((s) => `${s.name}: ${s.rejected ? "null" : "ANSWERED"}`).join("; ")}`,
    `latency per utterance (decoder run, wall): p50 ${report.latencyMs.p50.toFixed(0)} ms, p90 ${report.latencyMs.p90.toFixed(0)} ms, max ${report.latencyMs.max.toFixed(0)} ms, mean ${report.latencyMs.mean.toFixed(0)} ms`,
  ];
  return out.join("\n");
}
