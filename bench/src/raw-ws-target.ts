import { fileURLToPath } from "node:url";
import { freePort, ServerProcess } from "./child-process.js";
import { JsonPoster, type PostResult } from "./http-post.js";
import type { Target } from "./load.js";
import type { Population } from "./switchboard-target.js";

const SERVER_ENTRY = fileURLToPath(new URL("./raw-ws-server.js", import.meta.url));

/** The raw `ws` broadcast baseline (`raw-ws-server.ts`) as a child process, with the same identities and threads. */
export class RawWsTarget implements Target {
  readonly name = "raw ws";
  readonly server: ServerProcess;
  readonly #poster: JsonPoster;
  /** Per identity: the start of its send body, `{"threadId":…,"from":…,"content":`. */
  #bodyStarts: string[] = [];

  private constructor(server: ServerProcess, poster: JsonPoster) {
    this.server = server;
    this.#poster = poster;
  }

  get pairs(): number {
    return this.#bodyStarts.length / 2;
  }

  static async start(maxSockets: number): Promise<RawWsTarget> {
    const port = await freePort();
    const server = new ServerProcess("raw ws server", port, [SERVER_ENTRY], { ...process.env, RAW_WS_PORT: String(port) });
    const target = new RawWsTarget(server, new JsonPoster(server.baseUrl, maxSockets));
    try {
      await server.waitReady("/readyz");
    } catch (error) {
      await target.stop();
      throw error;
    }
    return target;
  }

  /** Registers the threads of `population` (one request). */
  async populate(population: Population): Promise<void> {
    const { identityIds, threadIds } = population;
    const threads = threadIds.map((id, p) => ({
      id,
      participants: [2 * p, 2 * p + 1].map((i) => ({ id: identityIds[i] ?? "", displayName: `Bench client ${i}` })),
    }));
    const body = JSON.stringify(threads);
    const result = await this.#poster.post("/threads", body, undefined, 204);
    if (result.status !== 204) throw new Error(`raw ws server: registering threads answered ${result.status} ${result.detail}`);
    this.#bodyStarts = identityIds.map(
      (id, i) => `{"threadId":${JSON.stringify(threadIds[Math.floor(i / 2)])},"from":${JSON.stringify(id)},"content":`,
    );
  }

  realtimeUrl(identityId: string): string {
    return `${this.server.baseUrl.replace(/^http/, "ws")}/v1/realtime?id=${encodeURIComponent(identityId)}`;
  }

  send(pair: number, side: 0 | 1, content: string): Promise<PostResult> {
    return this.#poster.post("/send", `${this.#bodyStarts[2 * pair + side]}${JSON.stringify(content)}}`, undefined, 201);
  }

  async stop(): Promise<void> {
    this.#poster.close();
    await this.server.stop();
  }
}
