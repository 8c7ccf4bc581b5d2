#!/usr/bin/env node
// `npm run speech:accuracy`: how well the offline recognizer hears an auto attendant's menu options and
// directory names over a phone line. Renders the test speech with espeak-ng and flite (several voices),
// sends it through G.711 µ-law, clean and with white noise, and prints accuracy per voice and condition,
// rejection of words outside the grammar and of noise, and the time per utterance. Needs the Debian
// packages pocketsphinx, pocketsphinx-en-us, espeak-ng and flite (`npm test` installs them).
//
//   npm run speech:accuracy                               clean and 20 dB SNR, one decoding at a time
//   npm run speech:accuracy -- --snr 30,20,10             more noise levels
//   npm run speech:accuracy -- --min-confidence 0.3       another threshold
//   npm run speech:accuracy -- --keep /tmp/corpus         keep the rendered speech as WAV files
//   npm run speech:accuracy -- --json                     the report as JSON on the last line
import { parseArgs } from "node:util";
import {
  DEFAULT_MIN_CONFIDENCE,
  formatAccuracyReport,
  measureAccuracy,
  PocketsphinxRecognizer,
  ratio,
  renderCorpus,
} from "@switchboard/speech";
import { ensureSystemPackages, RECOGNITION_PACKAGES, RUNTIME_PACKAGES } from "./system-packages.mjs";

if (!ensureSystemPackages([...RUNTIME_PACKAGES, ...RECOGNITION_PACKAGES, { name: "flite", file: "/usr/bin/flite" }])) {
  console.warn("Could not install the speech packages: the run will say what is missing.");
}

const { values } = parseArgs({
  options: {
    snr: { type: "string", default: "20" },
    "min-confidence": { type: "string", default: String(DEFAULT_MIN_CONFIDENCE) },
    concurrency: { type: "string", default: "1" },
    keep: { type: "string" },
    json: { type: "boolean", default: false },
  },
});

const conditions = [
  { name: "clean" },
  ...values.snr
    .split(",")
    .filter((s) => s.trim() !== "")
    .map((s) => ({ name: `noise ${Number(s)} dB`, snrDb: Number(s) })),
];
const minConfidence = Number(values["min-confidence"]);

const started = performance.now();
const corpus = await renderCorpus({ directory: values.keep });
console.log(`rendered ${corpus.length} utterances in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const recognizer = new PocketsphinxRecognizer({ minConfidence });
const report = await measureAccuracy(recognizer, corpus, {
  conditions,
  minConfidence,
  concurrency: Number(values.concurrency),
});
await recognizer.close();
console.log(formatAccuracyReport(report));

// What other thresholds would have given, from the same decodings.
console.log("\nthreshold   menu+names right   wrong accepted   out-of-grammar accepted");
for (const threshold of [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]) {
  const inGrammar = report.scores.filter((s) => s.inGrammar);
  const outside = report.scores.filter((s) => !s.inGrammar);
  const right = inGrammar.filter((s) => s.right && s.confidence >= threshold).length;
  const wrong = inGrammar.filter((s) => !s.right && s.confidence >= threshold && s.confidence > 0).length;
  const accepted = outside.filter((s) => s.confidence >= threshold && s.confidence > 0).length;
  console.log(
    `${threshold.toFixed(1).padEnd(11)} ${`${right}/${inGrammar.length}`.padEnd(18)} ${`${wrong}/${inGrammar.length}`.padEnd(16)} ${accepted}/${outside.length}`,
  );
}
if (values.json) {
  const { scores: _scores, ...rest } = report;
  console.log(
    JSON.stringify({
      bench: "speech-accuracy",
      menuAccuracy: ratio(report.overall.menu),
      nameAccuracy: ratio(report.overall.names),
      outOfGrammarRejected: ratio(report.overall.outOfGrammar),
      ...rest,
    }),
  );
}
