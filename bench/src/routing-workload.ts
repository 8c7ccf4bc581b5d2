/**
 * The routing benchmark's world, generated from a seed: queues, workers (memberships, skills,
 * capacity), and the jobs that arrive, with how the agents answer and how long the work lasts.
 */
import type { Channel, Distribution, QueueInput, SkillRequirement, WorkerInput } from "@switchboard/core";

export interface RoutingBenchSettings {
  readonly workers: number;
  readonly queues: number;
  readonly jobs: number;
  readonly seed: number;
  /** Share of the agents' total capacity the arrivals ask for (jobs × handle time), roughly. */
  readonly load: number;
  /** Skip the naive baseline (then there is no ratio). */
  readonly skipNaive: boolean;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, not "${raw}".`);
  return value;
}

export function readRoutingSettings(env: NodeJS.ProcessEnv = process.env): RoutingBenchSettings {
  const load = env.BENCH_LOAD ? Number(env.BENCH_LOAD) : 0.8;
  if (!(load > 0 && load < 2)) throw new Error(`BENCH_LOAD must be between 0 and 2, not "${env.BENCH_LOAD}".`);
  return {
    workers: integer(env, "BENCH_WORKERS", 2000, 1),
    queues: integer(env, "BENCH_QUEUES", 200, 1),
    jobs: integer(env, "BENCH_JOBS", 50_000, 1),
    seed: integer(env, "BENCH_SEED", 42, 0),
    load,
    skipNaive: env.BENCH_SKIP_NAIVE === "1",
  };
}

/** A small, fast, seeded generator (mulberry32): the same seed gives the same world. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** Exponentially distributed, with this mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

export interface JobArrival {
  readonly id: string;
  readonly at: number;
  readonly channel: Channel;
  readonly queueId: string;
  readonly priority: number;
  readonly requiredSkills: readonly SkillRequirement[];
  /** How long the agent works on it once accepted (ms). */
  readonly handleMs: number;
}

export interface Workload {
  readonly queues: readonly QueueInput[];
  readonly workers: readonly WorkerInput[];
  readonly arrivals: readonly JobArrival[];
  /** Simulated milliseconds from the first arrival to the last. */
  readonly spanMs: number;
  readonly seed: number;
}

const SKILLS = Array.from({ length: 20 }, (_, i) => `skill-${i}`);
const DISTRIBUTIONS: readonly Distribution[] = [
  "longest_idle",
  "longest_idle",
  "longest_idle",
  "longest_idle",
  "round_robin",
  "round_robin",
  "best_skill",
  "best_skill",
  "serial",
];
const CHAT_HANDLE_MS = { min: 60_000, max: 600_000 };
const VOICE_HANDLE_MS = { min: 60_000, max: 300_000 };
const VOICE_SHARE = 0.15;

export function generateWorkload(settings: RoutingBenchSettings): Workload {
  const random = new Random(settings.seed);
  const queueIds = Array.from({ length: settings.queues }, (_, i) => `queue-${String(i).padStart(3, "0")}`);

  const workers: WorkerInput[] = [];
  const membersOf = new Map<string, WorkerInput[]>(queueIds.map((id) => [id, []]));
  for (let i = 0; i < settings.workers; i++) {
    const capacity = random.int(1, 4);
    const queues = new Set<string>();
    const count = random.int(1, Math.min(5, queueIds.length));
    while (queues.size < count) queues.add(random.pick(queueIds));
    const skills: Record<string, number> = {};
    for (let s = random.int(0, 4); s > 0; s--) skills[random.pick(SKILLS)] = random.int(1, 5);
    const worker: WorkerInput = {
      id: `worker-${String(i).padStart(4, "0")}`,
      capacity,
      costs: random.next() < 0.8 ? { chat: 1, voice: capacity } : { chat: 1 },
      skills,
      queues: [...queues],
    };
    workers.push(worker);
    for (const q of queues) membersOf.get(q)?.push(worker);
  }

  const queues: QueueInput[] = queueIds.map((id, i) => {
    const distribution = random.pick(DISTRIBUTIONS);
    const members = membersOf.get(id) ?? [];
    return {
      id,
      name: `Queue ${i}`,
      distribution,
      alertSeconds: 30,
      wrapUpSeconds: random.pick([0, 0, 10, 30]),
      reofferSeconds: 0,
      serialOrder: distribution === "serial" ? members.map((w) => w.id).reverse() : [],
    };
  });

  // Arrival rate: the load share of what the agents can handle, from capacity units and mean handle times.
  const units = workers.reduce((sum, w) => sum + (w.capacity ?? 1), 0);
  const meanCapacity = units / Math.max(1, workers.length);
  const chatUnitMs = (CHAT_HANDLE_MS.min + CHAT_HANDLE_MS.max) / 2;
  const voiceUnitMs = ((VOICE_HANDLE_MS.min + VOICE_HANDLE_MS.max) / 2) * meanCapacity;
  const unitMsPerJob = (1 - VOICE_SHARE) * chatUnitMs + VOICE_SHARE * voiceUnitMs;
  const jobsPerMs = (settings.load * units) / unitMsPerJob;

  // Some queues are busier than others (a mild skew), and jobs need skills the queue's agents have.
  const weights = queueIds.map((_, i) => 1 / (1 + (i % 20)));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const pickQueue = () => {
    let r = random.next() * totalWeight;
    for (let i = 0; i < queueIds.length; i++) {
      r -= weights[i] ?? 0;
      if (r <= 0) return queueIds[i] as string;
    }
    return queueIds[queueIds.length - 1] as string;
  };

  const arrivals: JobArrival[] = [];
  let at = 0;
  for (let i = 0; i < settings.jobs; i++) {
    at += random.exponential(1 / jobsPerMs);
    let queueId = pickQueue();
    while ((membersOf.get(queueId)?.length ?? 0) === 0) queueId = pickQueue();
    const members = membersOf.get(queueId) ?? [];
    let channel: Channel = random.next() < VOICE_SHARE ? "voice" : "chat";
    const requiredSkills: SkillRequirement[] = [];
    if (random.next() < 0.3) {
      // A skill some member of the queue has, at a level one of them reaches.
      const member = random.pick(members);
      const owned = Object.entries(member.skills ?? {});
      if (owned.length > 0) {
        const [skill, level] = random.pick(owned);
        requiredSkills.push({ skill, minLevel: random.int(1, level) });
        if (channel === "voice" && !member.costs?.voice) channel = "chat";
      }
    }
    if (channel === "voice" && !members.some((m) => m.costs?.voice)) channel = "chat";
    const handle = channel === "chat" ? CHAT_HANDLE_MS : VOICE_HANDLE_MS;
    arrivals.push({
      id: `job-${String(i).padStart(6, "0")}`,
      at: Math.round(at),
      channel,
      queueId,
      priority: random.next() < 0.1 ? random.int(1, 2) : 0,
      requiredSkills,
      handleMs: random.int(handle.min, handle.max),
    });
  }
  return { queues, workers, arrivals, spanMs: Math.round(at), seed: settings.seed };
}
