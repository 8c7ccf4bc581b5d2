/**
 * The baseline: the least a chat server must do, with `ws` and nothing else. Clients connect to
 * `/v1/realtime?id=<identity>`; POST /threads registers the threads (in memory); POST /send
 * {threadId, from, content} builds the same event Switchboard sends and writes it to both
 * participants' sockets. No authentication, no validation beyond the lookup, no persistence.
 * Run as a child process by the benchmark: `node raw-ws-server.js` with RAW_WS_PORT set.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { WebSocket, WebSocketServer } from "ws";

interface RawThread {
  readonly id: string;
  readonly participants: readonly { readonly id: string; readonly displayName: string }[];
  sequence: number;
}

const sockets = new Map<string, WebSocket>();
const threads = new Map<string, RawThread>();

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}

function answer(response: ServerResponse, status: number, body?: string): void {
  if (body === undefined) {
    response.writeHead(status, { "content-length": 0 }).end();
    return;
  }
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}

function send(input: { threadId: string; from: string; content: string }, response: ServerResponse): void {
  const thread = threads.get(input.threadId);
  const sender = thread?.participants.find((p) => p.id === input.from);
  if (!thread || !sender) {
    answer(response, 404, '{"code":"thread.not_found"}');
    return;
  }
  thread.sequence += 1;
  const createdAt = new Date().toISOString();
  const message = {
    id: randomUUID(),
    sequence: thread.sequence,
    senderId: sender.id,
    senderDisplayName: sender.displayName,
    content: input.content,
    metadata: {},
    createdAt,
    editedAt: null,
    deletedAt: null,
  };
  const frame = JSON.stringify({
    type: "chat.message.received",
    threadId: thread.id,
    sequence: thread.sequence,
    createdAt,
    data: { message },
  });
  for (const participant of thread.participants) {
    const socket = sockets.get(participant.id);
    if (socket !== undefined && socket.readyState === WebSocket.OPEN) socket.send(frame);
  }
  answer(response, 201, JSON.stringify(message));
}

const server = createServer((request, response) => {
  if (request.method === "GET" && request.url === "/readyz") return answer(response, 200, '{"status":"ready"}');
  if (request.method !== "POST") return answer(response, 404);
  readBody(request)
    .then((text) => {
      if (request.url === "/send") return send(JSON.parse(text), response);
      if (request.url === "/threads") {
        for (const thread of JSON.parse(text) as Omit<RawThread, "sequence">[])
          threads.set(thread.id, { ...thread, sequence: 1 });
        return answer(response, 204);
      }
      answer(response, 404);
    })
    .catch(() => {
      if (!response.headersSent) answer(response, 400);
    });
});

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
server.on("upgrade", (request, socket, head) => {
  const url = new URL(request.url ?? "/", "http://localhost");
  const id = url.searchParams.get("id");
  if (url.pathname !== "/v1/realtime" || !id) {
    socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
    return;
  }
  wss.handleUpgrade(request, socket, head, (ws) => {
    sockets.set(id, ws);
    ws.on("close", () => {
      if (sockets.get(id) === ws) sockets.delete(id);
    });
    ws.on("error", () => ws.terminate());
    ws.send(JSON.stringify({ type: "ready", connectionId: randomUUID(), identityId: id, heartbeatMs: 25_000 }));
  });
});

server.listen(Number(process.env.RAW_WS_PORT ?? 0), process.env.RAW_WS_HOST ?? "127.0.0.1");
process.on("SIGTERM", () => {
  for (const ws of wss.clients) ws.terminate();
  server.close(() => process.exit(0));
});
