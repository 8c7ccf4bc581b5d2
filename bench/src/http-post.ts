import { Agent, request } from "node:http";

export interface PostResult {
  readonly status: number;
  /** The body of an answer other than the expected status (for the error report); empty otherwise. */
  readonly detail: string;
}

/**
 * JSON POSTs over a bounded pool of keep-alive connections. node:http rather than `fetch`: the load
 * generator shares the machine with the server, and `fetch` costs several times more CPU per request.
 */
export class JsonPoster {
  readonly #agent: Agent;
  readonly #host: string;
  readonly #port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const url = new URL(baseUrl);
    this.#host = url.hostname;
    this.#port = Number(url.port);
    this.#agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: "lifo" });
  }

  /** POSTs `body` (JSON); resolves with the status, and the body only when it is not `expectStatus`. */
  post(path: string, body: string, authorization: string | undefined, expectStatus: number): Promise<PostResult> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      };
      if (authorization !== undefined) headers.authorization = authorization;
      const req = request({ agent: this.#agent, host: this.#host, port: this.#port, method: "POST", path, headers }, (res) => {
        const status = res.statusCode ?? 0;
        if (status === expectStatus) {
          res.on("end", () => resolve({ status, detail: "" }));
          res.resume();
          return;
        }
        let detail = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (detail.length < 1000) detail += chunk;
        });
        res.on("end", () => resolve({ status, detail }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
