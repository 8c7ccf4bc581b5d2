import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

const TAIL_LINES = 40;
/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Every child still running, so that an error or Ctrl-C never leaves a server behind. */
const running = new Set<ChildProcess>();
const cleanups = new Set<() => void>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // `exit` handlers run synchronously: killing and removing is all that fits, and all that is needed.
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
    for (const cleanup of cleanups) {
      try {
        cleanup();
      } catch {
        // Best effort on the way out.
      }
    }
  });
}

/** Kills `child` (SIGKILL) if it is still running when this process exits, however it exits. */
export function killOnExit(child: ChildProcess): void {
  installExitHook();
  running.add(child);
  child.once("exit", () => running.delete(child));
}

/** CPU time (user + system) of a process so far, in seconds, from `/proc/<pid>/stat` (Linux); undefined when gone. */
export function processCpuSeconds(pid: number | string): number | undefined {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND : undefined;
}

/**
 * CPU time (user + system) of this process's children that have ended and been waited for, in seconds:
 * the exact CPU of a short-lived child is the difference across its run (Linux).
 */
export function endedChildrenCpuSeconds(): number {
  const fields = statFields("self");
  return fields ? (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND : 0;
}

/** CPU time of the whole machine so far (every core), in seconds, from `/proc/stat` (Linux). */
export interface MachineCpu {
  /** user, nice, system, irq, softirq and steal. */
  readonly busy: number;
  /** The kernel's deferred network work (most of it charged to no process): packets on loopback. */
  readonly softirq: number;
  /** Time the hypervisor gave to other machines. */
  readonly steal: number;
}

export function machineCpuSeconds(): MachineCpu | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    const [, user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number);
    return {
      busy: (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND,
      softirq: softirq / CLOCK_TICKS_PER_SECOND,
      steal: steal / CLOCK_TICKS_PER_SECOND,
    };
  } catch {
    return undefined;
  }
}

/** The fields of `/proc/<pid>/stat` after the command name (which is in parentheses and may contain spaces): utime is index 11. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Runs `cleanup` (synchronous) when the process exits, however it exits; returns a function that unregisters it. */
export function atExit(cleanup: () => void): () => void {
  installExitHook();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** A server under test, run as its own process so that it gets a core of its own. */
export class ServerProcess {
  readonly name: string;
  readonly baseUrl: string;
  readonly #child: ChildProcess;
  readonly #tail: string[] = [];
  #exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly #exit: Promise<void>;

  constructor(name: string, port: number, args: readonly string[], env: NodeJS.ProcessEnv) {
    installExitHook();
    this.name = name;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.#child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    running.add(this.#child);
    this.#exit = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => {
        running.delete(this.#child);
        this.#exited = { code, signal };
        resolve();
      });
    });
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        for (const line of chunk.split("\n")) {
          if (line.trim() === "") continue;
          this.#tail.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
          if (this.#tail.length > TAIL_LINES) this.#tail.shift();
        }
      });
    }
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** The last lines the process wrote, for error reports. */
  get output(): string {
    return this.#tail.join("\n");
  }

  /** Resident memory of the process in bytes (Linux), or undefined. */
  rssBytes(): number | undefined {
    try {
      const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${this.pid}/status`, "utf8"));
      return match?.[1] ? Number(match[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** CPU time (user + system) the process has used so far, in seconds (Linux), or undefined. */
  cpuSeconds(): number | undefined {
    return processCpuSeconds(this.pid);
  }

  /** Resolves when `path` answers 200; rejects when the process exits first or `timeoutMs` passes. */
  async waitReady(path: string, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.#exited) throw new Error(`${this.name} exited (${this.#describeExit()}) before it was ready:\n${this.output}`);
      try {
        const response = await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      if (performance.now() > deadline) throw new Error(`${this.name} was not ready after ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Throws when the process has died: a benchmark of a dead server measures nothing. */
  assertAlive(): void {
    if (this.#exited) throw new Error(`${this.name} exited (${this.#describeExit()}):\n${this.output}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#exited) return;
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), graceMs);
    await this.#exit;
    clearTimeout(timer);
  }

  #describeExit(): string {
    return this.#exited?.signal ? `signal ${this.#exited.signal}` : `code ${this.#exited?.code}`;
  }
}

/** A TCP port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
