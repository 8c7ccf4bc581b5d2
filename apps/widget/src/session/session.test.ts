import type { WidgetSession, WidgetSessionRequest } from "@switchboard/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WidgetSessionManager } from "./session.js";
import { type KeyValueStorage, WidgetStorage } from "./storage.js";

const NOW = Date.parse("2025-03-12T10:00:00Z");

function fakeServer() {
  const requests: WidgetSessionRequest[] = [];
  let n = 0;
  const createSession = vi.fn(async (request: WidgetSessionRequest): Promise<WidgetSession> => {
    requests.push(request);
    n++;
    return {
      identityId: "idn_1",
      token: `token-${n}`,
      expiresAt: new Date(NOW + 60 * 60_000).toISOString(),
      sessionSecret: request.sessionSecret ?? "secret-1",
      resumed: request.sessionSecret !== undefined,
      conversation: { id: request.newConversation ? `cnv_${n}` : "cnv_1", status: "bot" } as WidgetSession["conversation"],
      entryPoint: { id: "ep_1", name: "Shop", greeting: "Hi", open: true, afterHoursMessage: "" },
      limits: { attachmentMaxBytes: 1, attachmentTypes: [], messageMaxLength: 10 },
    };
  });
  return { client: { widget: { createSession } }, requests, createSession };
}

function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("WidgetSessionManager", () => {
  it("keeps the secret so that the next page view resumes the session", async () => {
    const server = fakeServer();
    const backing = memoryStorage();
    const first = new WidgetSessionManager(server.client, "ep_1", new WidgetStorage("ep_1", backing), () => NOW);
    await first.start();
    first.dispose();
    const second = new WidgetSessionManager(server.client, "ep_1", new WidgetStorage("ep_1", backing), () => NOW);
    await second.start();
    second.dispose();
    expect(server.requests).toEqual([{ entryPointId: "ep_1" }, { entryPointId: "ep_1", sessionSecret: "secret-1" }]);
    expect(new WidgetStorage("ep_1", backing).get()).toEqual({
      sessionSecret: "secret-1",
      conversationId: "cnv_1",
      ended: false,
    });
  });

  it("hands out the current token, and renews it once however many callers need it", async () => {
    let now = NOW;
    const server = fakeServer();
    const manager = new WidgetSessionManager(server.client, "ep_1", new WidgetStorage("ep_1", undefined), () => now);
    await manager.start();
    expect(await manager.token()).toBe("token-1");
    now += 59 * 60_000 + 50_000; // 10 s before expiry
    const tokens = await Promise.all([manager.token(), manager.token(), manager.token()]);
    expect(tokens).toEqual(["token-2", "token-2", "token-2"]);
    expect(server.createSession).toHaveBeenCalledTimes(2);
    manager.invalidate();
    expect(await manager.token()).toBe("token-3");
    manager.dispose();
  });

  it("renews by itself before expiry, and not once suspended", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    const server = fakeServer();
    const manager = new WidgetSessionManager(server.client, "ep_1", new WidgetStorage("ep_1", undefined));
    const changes: string[] = [];
    manager.onChange((session) => changes.push(session.token));
    await manager.start();
    await vi.advanceTimersByTimeAsync(59 * 60_000);
    expect(changes).toEqual(["token-1", "token-2"]);
    manager.suspend();
    await vi.advanceTimersByTimeAsync(120 * 60_000);
    expect(changes).toEqual(["token-1", "token-2"]);
    manager.dispose();
  });

  it("asks for a new conversation when told to", async () => {
    const server = fakeServer();
    const manager = new WidgetSessionManager(server.client, "ep_1", new WidgetStorage("ep_1", undefined), () => NOW);
    await manager.start();
    const next = await manager.start({ newConversation: true });
    expect(server.requests[1]).toEqual({ entryPointId: "ep_1", sessionSecret: "secret-1", newConversation: true });
    expect(next.conversation.id).toBe("cnv_2");
    manager.dispose();
  });
});
