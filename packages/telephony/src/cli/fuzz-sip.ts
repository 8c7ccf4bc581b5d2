#!/usr/bin/env node
// `npm run fuzz:sip [-- --cases N --seed S]`: a million mutated SIP messages through the parser, the typed
// accessors and the stream framer. Prints the throughput and every crash with the seed that replays it;
// exits 1 when there is one.
import { fuzzSipParser } from "../sip/message/fuzz.js";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const cases = option("cases", 1_000_000);
const seed = option("seed", 1);
console.log(`fuzzing the SIP parser: ${cases.toLocaleString("en")} cases from seed ${seed}`);
const report = fuzzSipParser(cases, seed, (done) => console.log(`  ${done.toLocaleString("en")} cases`));
const perSecond = Math.round(report.cases / (report.millis / 1000));
console.log(
  `${report.cases.toLocaleString("en")} cases in ${(report.millis / 1000).toFixed(1)} s (${perSecond.toLocaleString("en")}/s): ` +
    `${report.accepted.toLocaleString("en")} accepted, ${report.rejected.toLocaleString("en")} rejected, ${report.crashCount} crashes`,
);
for (const crash of report.crashes) console.log(`crash at seed ${crash.seed}: ${crash.error}\n  input (base64): ${crash.input}`);
console.log(
  JSON.stringify({
    fuzz: "sip",
    cases: report.cases,
    accepted: report.accepted,
    rejected: report.rejected,
    crashes: report.crashCount,
  }),
);
process.exit(report.crashCount === 0 ? 0 : 1);
