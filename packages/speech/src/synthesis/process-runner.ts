import { spawn } from "node:child_process";

/** How a program ended, with what it wrote. */
export interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Uint8Array;
  /** The start of what it wrote on stderr, for error messages. */
  readonly stderr: string;
}

export interface ProcessRunOptions {
  /** Written to the program's standard input, which is then closed. */
  readonly input: Uint8Array;
  /** Past this the program is killed and the run fails. */
  readonly timeoutMs: number;
  /** Past this much standard output the program is killed and the run fails. */
  readonly maxOutputBytes: number;
}

/**
 * Runs a program to completion. Rejects when it cannot be started (not installed: `code` ENOENT), runs
 * too long, or writes too much; resolves with its exit status otherwise. Injectable so that tests can
 * count runs, or wrap them, while still running the real program.
 */
export type ProcessRunner = (command: string, args: readonly string[], options: ProcessRunOptions) => Promise<ProcessResult>;

const STDERR_KEPT = 4_096;

/** The ProcessRunner of `child_process.spawn`: arguments go to the program as they are, never through a shell. */
export const spawnProcess: ProcessRunner = (command, args, { input, timeoutMs, maxOutputBytes }) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { shell: false, stdio: ["pipe", "pipe", "pipe"], windowsHide: true });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => fail(new Error(`${command} did not finish within ${timeoutMs} ms`)), timeoutMs);

    child.stdout.on("data", (data: Buffer) => {
      stdoutBytes += data.length;
      if (stdoutBytes > maxOutputBytes) fail(new Error(`${command} wrote more than ${maxOutputBytes} bytes`));
      else stdout.push(data);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (data: string) => {
      if (stderr.length < STDERR_KEPT) stderr = (stderr + data).slice(0, STDERR_KEPT);
    });
    // A program that exits without reading its input makes the write fail (EPIPE): its exit status says why.
    child.stdin.on("error", () => {});
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(failure ?? error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else resolve({ exitCode, signal, stdout: Buffer.concat(stdout), stderr });
    });
    child.stdin.end(input);
  });
