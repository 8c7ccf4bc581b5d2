import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SwitchboardClient } from "@switchboard/sdk";
import { atExit, freePort, ServerProcess } from "./child-process.js";
import { JsonPoster, type PostResult } from "./http-post.js";
import type { Target } from "./load.js";
import { forEachLimit, progressPrinter } from "./parallel.js";
import type { Settings } from "./settings.js";

const SERVER_ENTRY = fileURLToPath(new URL("../../apps/server/dist/main.js", import.meta.url));
const SETUP_PARALLELISM = 32;

/** The identities and threads of a run: identity `2 * pair + side` is side `side` of thread `pair`. */
export interface Population {
  readonly identityIds: readonly string[];
  readonly threadIds: readonly string[];
}

export interface SwitchboardPopulation extends Population {
  readonly tokens: readonly string[];
}

/** The Switchboard server (`apps/server`) as a child process, and the population the benchmark creates in it. */
export class SwitchboardTarget implements Target {
  readonly name = "Switchboard";
  readonly server: ServerProcess;
  readonly #poster: JsonPoster;
  readonly #removeDataDir: () => void;
  readonly #platformKey: string;
  #messagePaths: string[] = [];
  #authorizations: string[] = [];

  private constructor(server: ServerProcess, poster: JsonPoster, platformKey: string, removeDataDir: () => void) {
    this.server = server;
    this.#poster = poster;
    this.#platformKey = platformKey;
    this.#removeDataDir = removeDataDir;
  }

  get pairs(): number {
    return this.#messagePaths.length;
  }

  /** Starts the server on a free port with a fresh data directory and waits until it is ready. */
  static async start(settings: Settings): Promise<SwitchboardTarget> {
    const dataDir = mkdtempSync(path.join(tmpdir(), "switchboard-bench-"));
    const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
    const unregister = atExit(removeDataDir);
    const port = await freePort();
    const platformKey = `sk_bench_${randomBytes(18).toString("base64url")}`;
    // The server is configured by the benchmark alone: no setting of the caller's shell leaks in.
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("SWITCHBOARD_")),
    );
    Object.assign(env, {
      SWITCHBOARD_PORT: String(port),
      SWITCHBOARD_HOST: "127.0.0.1",
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_PLATFORM_API_KEY: platformKey,
      SWITCHBOARD_SEED_DEMO: "false",
      SWITCHBOARD_RATE_LIMIT_PER_MINUTE: "100000000",
      SWITCHBOARD_LOG_LEVEL: "warn",
      SWITCHBOARD_SIP_ENABLED: "false",
    });
    if (settings.databaseUrl) env.SWITCHBOARD_DATABASE_URL = settings.databaseUrl;
    const args = settings.cpuProfileDir
      ? ["--cpu-prof", `--cpu-prof-dir=${settings.cpuProfileDir}`, SERVER_ENTRY]
      : [SERVER_ENTRY];
    const server = new ServerProcess("Switchboard server", port, args, env);
    const target = new SwitchboardTarget(server, new JsonPoster(server.baseUrl, settings.concurrency), platformKey, () => {
      unregister();
      removeDataDir();
    });
    try {
      await server.waitReady("/readyz");
    } catch (error) {
      await target.stop();
      throw error;
    }
    return target;
  }

  /**
   * Creates a tenant of its own (so a reused PostgreSQL database does not matter), `clients`
   * identities with a chat token each, and a thread for each pair of them, through the SDK.
   */
  async populate(clients: number, print: (line: string) => void): Promise<SwitchboardPopulation> {
    const baseUrl = this.server.baseUrl;
    const platform = new SwitchboardClient({ baseUrl, credential: this.#platformKey });
    const suffix = randomBytes(6).toString("hex");
    const created = await platform.tenants.create({ slug: `bench-${suffix}`, name: `Chat benchmark ${suffix}` });
    const admin = new SwitchboardClient({ baseUrl, credential: created.apiKey.key });

    const identityIds: string[] = new Array(clients);
    const tokens: string[] = new Array(clients);
    const identityProgress = progressPrinter("identities and tokens", clients, print);
    let done = 0;
    await forEachLimit(clients, SETUP_PARALLELISM, async (i) => {
      const identity = await admin.identities.create({ displayName: `Bench client ${i}`, externalId: `bench-${i}` });
      const token = await admin.identities.issueToken(identity.id, { scopes: ["chat"], expiresInMinutes: 240 });
      identityIds[i] = identity.id;
      tokens[i] = token.token;
      identityProgress(++done);
    });

    const pairs = clients / 2;
    const threadIds: string[] = new Array(pairs);
    const threadProgress = progressPrinter("threads", pairs, print);
    done = 0;
    await forEachLimit(pairs, SETUP_PARALLELISM, async (p) => {
      const a = identityIds[2 * p] ?? "";
      const b = identityIds[2 * p + 1] ?? "";
      const thread = await admin.chat.createThread({ topic: `Bench pair ${p}`, participants: [{ id: a }, { id: b }] });
      threadIds[p] = thread.id;
      threadProgress(++done);
    });

    this.#messagePaths = threadIds.map((id) => `/v1/chat/threads/${encodeURIComponent(id)}/messages`);
    this.#authorizations = tokens.map((token) => `Bearer ${token}`);
    return { identityIds, tokens, threadIds };
  }

  realtimeUrl(token: string): string {
    return `${this.server.baseUrl.replace(/^http/, "ws")}/v1/realtime?token=${encodeURIComponent(token)}`;
  }

  /** POST /v1/chat/threads/{thread}/messages with the sender's own token, as a client app does. */
  send(pair: number, side: 0 | 1, content: string): Promise<PostResult> {
    // The SDK sends every message with an idempotency key; so does the benchmark (the content is unique).
    const quoted = JSON.stringify(content);
    const body = `{"content":${quoted},"idempotencyKey":${quoted}}`;
    return this.#poster.post(this.#messagePaths[pair] ?? "", body, this.#authorizations[2 * pair + side], 201);
  }

  /** Stops the server (gracefully, so a CPU profile gets written) and removes its data directory. */
  async stop(): Promise<void> {
    this.#poster.close();
    await this.server.stop();
    this.#removeDataDir();
  }
}
