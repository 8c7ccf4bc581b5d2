/**
 * `npm run bench:routing`: the routing engine under a contact center's load. 2,000 workers in 200
 * queues take 50,000 jobs arriving on a simulated clock (agents answer offers after a few seconds,
 * decline a few, work, wrap up); the same workload runs through a naive router that scans every
 * worker per job and every waiting job per freed worker. Only the routers' own work is timed. The last
 * line of the output is one JSON object with the headline figures.
 */
import { RoutingEngine } from "@switchboard/core";
import { EngineRouter, NaiveRouter } from "./routing-routers.js";
import { type SimResult, simulate } from "./routing-sim.js";
import { generateWorkload, readRoutingSettings, type Workload } from "./routing-workload.js";
import { formatMs, formatRate, round, summarize } from "./stats.js";

const print = (line: string) => console.log(line);
const count = (n: number) => n.toLocaleString("en-US");
const clockTime = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${String(Math.floor(s / 3600)).padStart(2, "0")}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
};

function describe(workload: Workload): void {
  const memberships = workload.workers.reduce((sum, w) => sum + (w.queues?.length ?? 0), 0);
  const capacity = workload.workers.reduce((sum, w) => sum + (w.capacity ?? 1), 0);
  const byDistribution = new Map<string, number>();
  for (const q of workload.queues)
    byDistribution.set(q.distribution ?? "longest_idle", (byDistribution.get(q.distribution ?? "") ?? 0) + 1);
  const voice = workload.arrivals.filter((a) => a.channel === "voice").length;
  const skilled = workload.arrivals.filter((a) => a.requiredSkills.length > 0).length;
  print(
    `population: ${count(workload.workers.length)} workers (${(memberships / workload.workers.length).toFixed(1)} queues each, ` +
      `${count(capacity)} capacity units), ${count(workload.queues.length)} queues (` +
      [...byDistribution].map(([d, n]) => `${n} ${d}`).join(", ") +
      ")",
  );
  print(
    `arrivals: ${count(workload.arrivals.length)} jobs over ${clockTime(workload.spanMs)} simulated ` +
      `(${((workload.arrivals.length / workload.spanMs) * 1000).toFixed(1)}/s; ${count(voice)} calls, ${count(skilled)} needing a skill)`,
  );
}

function run(name: string, makeRouter: () => EngineRouter | NaiveRouter, workload: Workload, warmUp: Workload): SimResult {
  // A short run first, so the measured one sees optimized code rather than the interpreter.
  simulate(makeRouter(), warmUp);
  print(`${name}:`);
  const router = makeRouter();
  let snapshotLine = "";
  const result = simulate(router, workload, (arrived, assignments, simulatedMs, routerMs) => {
    print(
      `  ${count(arrived).padStart(6)}/${count(workload.arrivals.length)} jobs, ${count(assignments).padStart(6)} assigned, ` +
        `simulated ${clockTime(simulatedMs)}, router ${routerMs.toFixed(0)} ms`,
    );
    if (router instanceof EngineRouter && arrived === Math.floor(workload.arrivals.length / 2))
      snapshotLine = measureSnapshot(router);
  });
  if (snapshotLine) print(snapshotLine);
  if (router instanceof EngineRouter) {
    const take = summarize(Float64Array.from(router.takeChangesMs));
    const perCall = (router.rowsWritten / Math.max(1, result.calls)).toFixed(1);
    print(
      `  rows for the store (takeChanges after each call, timed apart): ${perCall} per call, ` +
        `p50 ${formatMs3(take.p50)}, p99 ${formatMs3(take.p99)}`,
    );
  }
  const latency = summarize(result.enqueueToOffer);
  const calls = summarize(result.callMs);
  print(
    `  ${count(result.assignments)} assignments (${count(result.offers)} offers, ${count(result.declines)} declined) ` +
      `in ${result.routerMs.toFixed(0)} ms of router time: ${formatRate(assignmentsPerSecond(result))}`,
  );
  print(
    `  job.queued → offer.issued (${count(latency.count)} jobs offered on arrival): p50 ${formatMs3(latency.p50)}, ` +
      `p99 ${formatMs3(latency.p99)}, max ${formatMs(latency.max)}`,
  );
  print(
    `  every call (${count(calls.count)}): p50 ${formatMs3(calls.p50)}, p99 ${formatMs3(calls.p99)}, max ${formatMs(calls.max)}`,
  );
  print(`  simulated ${clockTime(result.simulatedMs)}; unfinished jobs at the end: ${result.leftover}`);
  if (result.leftover > 0) throw new Error(`${name}: ${result.leftover} jobs never finished`);
  return result;
}

/** What persisting the engine's whole state costs mid-run (not part of the timed figures). */
function measureSnapshot(router: EngineRouter): string {
  const t0 = performance.now();
  const json = JSON.stringify(router.engine.snapshot());
  const t1 = performance.now();
  const restored = RoutingEngine.restore(JSON.parse(json), { clock: { now: () => new Date(0) }, ids: { next: () => "x" } });
  const t2 = performance.now();
  const jobs = restored.listJobs().length;
  return (
    `  mid-run snapshot (${count(jobs)} live jobs): ${(json.length / 1024).toFixed(0)} KiB of JSON, ` +
    `snapshot + stringify ${(t1 - t0).toFixed(1)} ms, parse + restore ${(t2 - t1).toFixed(1)} ms`
  );
}

const formatMs3 = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(3)} ms` : "n/a");
const assignmentsPerSecond = (r: SimResult) => (r.routerMs > 0 ? (r.assignments / r.routerMs) * 1000 : Number.NaN);

function main(): void {
  const settings = readRoutingSettings();
  print(
    `routing bench: ${count(settings.workers)} workers, ${count(settings.queues)} queues, ${count(settings.jobs)} jobs, ` +
      `load ${settings.load}, seed ${settings.seed}`,
  );
  const workload = generateWorkload(settings);
  const warmUp = generateWorkload({ ...settings, jobs: Math.max(1, Math.floor(settings.jobs / 10)), seed: settings.seed + 1000 });
  describe(workload);

  const engine = run("engine (RoutingEngine)", () => new EngineRouter(), workload, warmUp);
  const naive = settings.skipNaive
    ? undefined
    : run("naive (scan every worker / every waiting job)", () => new NaiveRouter(), workload, warmUp);

  const engineRate = assignmentsPerSecond(engine);
  const latency = summarize(engine.enqueueToOffer);
  const ratio = naive ? engineRate / assignmentsPerSecond(naive) : Number.NaN;
  print(
    `result: ${formatRate(engineRate)} assignments, job.queued → offer.issued p50 ${formatMs3(latency.p50)}, p99 ${formatMs3(latency.p99)}` +
      (naive ? `; ${ratio.toFixed(1)}× the naive router (${formatRate(assignmentsPerSecond(naive))})` : ""),
  );
  print(
    `targets: ≥ 5,000 assignments/s ${engineRate >= 5000 ? "met" : "NOT met"}, p99 < 5 ms ${latency.p99 < 5 ? "met" : "NOT met"}`,
  );
  print(
    JSON.stringify({
      bench: "routing",
      assignmentsPerSecond: round(engineRate, 0),
      p50Ms: round(latency.p50, 4),
      p99Ms: round(latency.p99, 4),
      naiveRatio: round(ratio, 2),
    }),
  );
}

main();
