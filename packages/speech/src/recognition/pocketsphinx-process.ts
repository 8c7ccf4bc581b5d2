import { type ChildProcess, execFile, spawn } from "node:child_process";
import { close, constants, open, write } from "node:fs";
import { copyFile, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { Socket } from "node:net";
import { endianness } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { type HypothesisSegments, parseHypothesisSegments } from "./hypothesis-segments.js";

export interface PocketsphinxProcessOptions {
  readonly binary: string;
  readonly acousticModel: string;
  /** The pronouncing dictionary the decoder loads once (the CMU dictionary). */
  readonly dictionary: string;
  /** `word phones` lines added to it: the phone loop's words, and words the dictionary lacks. */
  readonly extraEntries: readonly string[];
  /** Where its files go; a directory of its own is made there. */
  readonly temporaryDirectory: string;
  /**
   * A statistical language model (Debian's `en-us.lm.bin`): the decoder then hears any sentence of the
   * dictionary's words (`dictate`). Without it, it hears only the grammars given with each utterance (`decode`).
   */
  readonly languageModel?: string;
}

/** A word heard in dictation: when, and how sure the decoder is of it. */
export interface DictatedWord {
  readonly word: string;
  /** Seconds from the start of the utterance's audio. */
  readonly start: number;
  readonly duration: number;
  /** The word's posterior probability among everything the decoder considered for that stretch of audio, 0 to 1. */
  readonly confidence: number;
}

/** One utterance to decode: 16 kHz audio, and the grammar (Sphinx FSG text) when the decoder has no language model. */
interface Utterance {
  readonly samples: Int16Array;
  readonly grammar?: string;
}

/** Reads the answer of one utterance: `next` gives the decoder's next line of output. */
type ReadAnswer<T> = (utterance: string, next: () => Promise<string>) => Promise<T>;

/** Why a decoding failed: the program is missing, it died or hung, or it answered something unreadable. */
export class DecoderFailure extends Error {
  override readonly name = "DecoderFailure";
  constructor(
    message: string,
    readonly missing = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * One `pocketsphinx_batch` kept running, so that the acoustic model and the dictionary are loaded once
 * (0.3–0.7 s) rather than for every utterance (0.13 s each time even with a dictionary of just the
 * grammar's words); a decoding then costs about 50 ms.
 *
 * pocketsphinx's batch decoder reads its control file line by line and decodes each utterance as its line
 * arrives, and with `-fsgctl` it reads one grammar file name per utterance in step. So the control file,
 * the grammar control file and the `-hypseg` output (written unbuffered) are named pipes (FIFOs) in the
 * process's own temporary directory: each utterance is a line in, a line out. With a language model the
 * `-ctm` output goes into the same pipe: after each utterance's `-hypseg` line, one line per word it
 * names, with the word's confidence. (Not its standard input and
 * output: it opens them by name, and Node's stdio pipes are sockets, which `/dev/stdin` cannot open.) The
 * audio and the grammars are files beside them, removed after each decoding. Our ends of the FIFOs are
 * opened read-write, which on Linux never blocks and never sees end-of-file while the decoder restarts.
 *
 * The decoder answers nothing for an utterance it could not start (a grammar word missing from its
 * dictionary, an unreadable file), so every decoding has a deadline: past it the process is killed and the
 * decoding fails; the recognizer then starts a new process for the next one. One decoding at a time per
 * process.
 */
export class PocketsphinxProcess {
  readonly #options: PocketsphinxProcessOptions;
  #child: ChildProcess | undefined;
  #pipes: Pipes | undefined;
  #started: Promise<Pipes> | undefined;
  #directory: Promise<string> | undefined;
  #lines: string[] = [];
  #waiting: (() => void) | undefined;
  #stderr = "";
  #failure: DecoderFailure | undefined;
  #next = 0;
  #closed = false;

  constructor(options: PocketsphinxProcessOptions) {
    this.#options = options;
  }

  get alive(): boolean {
    return !this.#closed && this.#failure === undefined;
  }

  /**
   * Decodes 16 kHz audio against two grammars (Sphinx FSG text) and answers the best path through each
   * (null where no path reached the grammar's final state).
   */
  async decode(
    samples: Int16Array,
    grammars: readonly [string, string],
    timeoutMs: number,
  ): Promise<[HypothesisSegments | null, HypothesisSegments | null]> {
    if (this.#options.languageModel !== undefined) throw new DecoderFailure("This decoder dictates: it takes no grammars.");
    const [a, b] = await this.#exchange(
      grammars.map((grammar) => ({ samples, grammar })),
      timeoutMs,
      (utterance, next) => this.#bestPath(utterance, next),
    );
    return [a && a.words.length > 0 ? a : null, b && b.words.length > 0 ? b : null];
  }

  /**
   * Decodes utterances of 16 kHz audio with the language model, in order, within one deadline: the words of
   * each (none where it heard no word).
   */
  async dictate(utterances: readonly Int16Array[], timeoutMs: number): Promise<DictatedWord[][]> {
    if (this.#options.languageModel === undefined)
      throw new DecoderFailure("This decoder has no language model to dictate with.");
    if (utterances.length === 0) return [];
    return this.#exchange(
      utterances.map((samples) => ({ samples })),
      timeoutMs,
      async (utterance, next) => {
        const best = await this.#bestPath(utterance, next);
        const words: DictatedWord[] = [];
        // The CTM lines name the same words as the path, fillers left out.
        for (let i = 0; i < best.words.length; i++) {
          const line = await next();
          const word = parseCtmLine(line);
          if (word?.utterance !== utterance) throw this.#unexpected(line);
          words.push({ word: word.word, start: word.start, duration: word.duration, confidence: word.confidence });
        }
        return words;
      },
    );
  }

  /** Writes the utterances' files and control lines, then reads each one's answer in order. */
  async #exchange<T>(utterances: readonly Utterance[], timeoutMs: number, read: ReadAnswer<T>): Promise<T[]> {
    if (!this.alive) throw this.#failure ?? new DecoderFailure("The decoder was closed.");
    this.#started ??= this.#start().catch((error: unknown) => {
      throw this.#fail(error instanceof DecoderFailure ? error : new DecoderFailure(describe(error), false, { cause: error }));
    });
    const pipes = await this.#started;
    const directory = await (this.#directory as Promise<string>);
    const child = this.#child;
    if (!child || !this.alive) throw this.#failure ?? new DecoderFailure("The decoder was closed.");
    const batch = `u${this.#next++}`;
    // One audio file per distinct buffer: a recognition decodes the same audio against two grammars.
    const audio = new Map<Int16Array, string>();
    const writes: { file: string; data: string | Uint8Array }[] = [];
    const lines = utterances.map((utterance, index) => {
      let name = audio.get(utterance.samples);
      if (name === undefined) {
        name = `${batch}-audio${audio.size}`;
        audio.set(utterance.samples, name);
        const { buffer, byteOffset, byteLength } = utterance.samples;
        writes.push({ file: path.join(directory, `${name}.raw`), data: new Uint8Array(buffer, byteOffset, byteLength) });
      }
      const id = `${batch}-${index}`;
      if (utterance.grammar !== undefined) writes.push({ file: path.join(directory, `${id}.fsg`), data: utterance.grammar });
      return { id, control: `${name} 0 -1 ${id}\n`, grammar: utterance.grammar === undefined ? "" : `${id}\n` };
    });
    let timer: NodeJS.Timeout | undefined;
    this.#ref(child, true);
    try {
      await Promise.all(writes.map(({ file, data }) => writeFile(file, data)));
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const failure = new DecoderFailure(`pocketsphinx_batch did not answer within ${timeoutMs} ms${this.#errors()}`);
          this.#fail(failure);
          reject(failure);
        }, timeoutMs);
      });
      deadline.catch(() => {}); // handled where it is raced; it may also fire while nothing races it
      const next = () => Promise.race([this.#line(), deadline]);
      // The grammar names first: the decoder reads them after each control line.
      const grammars = lines.map((line) => line.grammar).join("");
      if (grammars && pipes.grammars !== undefined) await writeString(pipes.grammars, grammars);
      await writeString(pipes.control, lines.map((line) => line.control).join(""));
      const answers: T[] = [];
      for (const line of lines) answers.push(await read(line.id, next));
      return answers;
    } finally {
      clearTimeout(timer);
      this.#ref(child, false);
      await Promise.all(writes.map(({ file }) => unlink(file).catch(() => {})));
    }
  }

  /** The decoder's best path for the utterance: its `-hypseg` line. */
  async #bestPath(utterance: string, next: () => Promise<string>): Promise<HypothesisSegments> {
    const line = await next();
    const best = parseHypothesisSegments(line);
    if (best?.utterance !== utterance) throw this.#unexpected(line);
    return best;
  }

  #unexpected(line: string): DecoderFailure {
    return this.#fail(new DecoderFailure(`pocketsphinx_batch answered something unexpected: ${line.slice(0, 80)}`));
  }

  /** Stops the process and removes its files. */
  async close(): Promise<void> {
    this.#closed = true;
    // A start under way still spawns its child: wait for it, then kill whatever runs.
    const pipes = await this.#started?.catch(() => undefined);
    this.#child?.kill("SIGKILL");
    this.#child = undefined;
    if (pipes) {
      pipes.output.destroy();
      const fds = pipes.grammars === undefined ? [pipes.control] : [pipes.control, pipes.grammars];
      await Promise.all(fds.map((fd) => promisify(close)(fd).catch(() => {})));
    }
    const directory = await this.#directory?.catch(() => undefined);
    if (directory) await rm(directory, { recursive: true, force: true });
  }

  async #start(): Promise<Pipes> {
    this.#directory = mkdtemp(path.join(this.#options.temporaryDirectory, "switchboard-asr-"));
    const directory = await this.#directory;
    const file = (name: string) => path.join(directory, name);
    const { languageModel, extraEntries } = this.#options;
    let dictionary = this.#options.dictionary;
    if (extraEntries.length > 0) {
      dictionary = file("words.dict");
      await copyFile(this.#options.dictionary, dictionary);
      await writeFile(dictionary, `${extraEntries.join("\n")}\n`, { flag: "a" });
    }
    const fifos = languageModel === undefined ? ["control", "grammars", "paths"] : ["control", "paths"];
    try {
      await promisify(execFile)("mkfifo", fifos.map(file));
    } catch (error) {
      throw new DecoderFailure(`could not make its pipes with mkfifo (${describe(error)})`, false, { cause: error });
    }
    const openFd = promisify(open);
    const [control, paths, grammars] = await Promise.all([
      openFd(file("control"), constants.O_RDWR),
      openFd(file("paths"), constants.O_RDWR | constants.O_NONBLOCK),
      languageModel === undefined ? openFd(file("grammars"), constants.O_RDWR) : undefined,
    ]);
    const output = new Socket({ fd: paths, readable: true, writable: false });
    let buffered = "";
    output.setEncoding("utf8");
    output.on("data", (data: string) => {
      buffered += data;
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        this.#lines.push(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
      }
      this.#wake();
    });
    output.on("error", (error) => this.#fail(new DecoderFailure(`its output failed: ${error.message}`, false, { cause: error })));

    const search =
      languageModel === undefined
        ? ["-fsgctl", file("grammars"), "-fsgdir", directory, "-fsgext", ".fsg"]
        : ["-lm", languageModel, "-ctm", file("paths")];
    // biome-ignore format: one option per line reads best
    const args = [
      "-hmm", this.#options.acousticModel,
      "-dict", dictionary,
      "-adcin", "yes",
      "-input_endian", endianness() === "LE" ? "little" : "big",
      "-samprate", "16000",
      "-cepdir", directory,
      "-cepext", ".raw",
      "-ctl", file("control"),
      "-hypseg", file("paths"),
      ...search,
    ];
    const child = spawn(this.#options.binary, args, { shell: false, stdio: ["ignore", "ignore", "pipe"], windowsHide: true });
    this.#child = child;
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (data: string) => {
      // Its log, a few lines per utterance: only the errors are worth keeping.
      for (const line of data.split("\n")) {
        if (/^(ERROR|FATAL)/.test(line)) this.#stderr = `${this.#stderr}\n${line}`.slice(-2_000);
      }
    });
    child.on("error", (error) => {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      this.#fail(new DecoderFailure(missing ? "not installed" : error.message, missing, { cause: error }));
    });
    child.on("close", (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      this.#fail(new DecoderFailure(`pocketsphinx_batch exited (${signal ?? `status ${code}`})${this.#errors()}`));
    });
    const pipes = { control, grammars, output };
    this.#pipes = pipes;
    this.#ref(child, false);
    return pipes;
  }

  /** The next line of output, or the failure that ended the process. */
  async #line(): Promise<string> {
    for (;;) {
      const line = this.#lines.shift();
      if (line !== undefined) return line;
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
      });
    }
  }

  #wake() {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  #fail(failure: DecoderFailure): DecoderFailure {
    this.#failure ??= failure;
    this.#child?.kill("SIGKILL");
    this.#wake();
    return failure;
  }

  #errors(): string {
    const errors = this.#stderr.trim();
    return errors ? `: ${errors.split("\n").slice(-3).join("; ")}` : "";
  }

  /** An idle decoder does not keep Node running; one that is decoding does. */
  #ref(child: ChildProcess, on: boolean) {
    // A child's stdio streams are sockets, which can be unref'd; Node types them as plain streams.
    for (const handle of [child, child.stderr as Socket | null, this.#pipes?.output]) {
      if (on) handle?.ref();
      else handle?.unref();
    }
  }
}

interface Pipes {
  /** Our writing ends of the control and grammar-control FIFOs (no grammars with a language model). */
  readonly control: number;
  readonly grammars: number | undefined;
  /** Our reading end of the `-hypseg` FIFO. */
  readonly output: Socket;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function writeString(fd: number, text: string): Promise<void> {
  await promisify(write)(fd, text);
}

/**
 * One line of pocketsphinx's `-ctm` output: `utt 1 0.41 0.17 get 0.185`, the utterance, the channel, the
 * word's start and duration in seconds, the word (without its alternate-pronunciation mark) and its
 * posterior probability.
 */
export function parseCtmLine(
  line: string,
): { utterance: string; start: number; duration: number; word: string; confidence: number } | null {
  const [utterance, , start, duration, word, confidence, extra] = line.trim().split(/\s+/);
  const numbers = [start, duration, confidence].map(Number);
  if (!utterance || !word || extra !== undefined || numbers.some((n) => !Number.isFinite(n))) return null;
  const [from, length, posterior] = numbers as [number, number, number];
  return { utterance, start: from, duration: length, word, confidence: Math.min(1, Math.max(0, posterior)) };
}
