import type { MediaEvent } from "@switchboard/core";
import { MemoryRecordingStore } from "@switchboard/core/testing";
import { Call, type CallOptions, MediaClock, RtpPortPool, SipLegMedia, systemScheduler, UserAgent } from "../src/index.js";
import { TestPromptRenderer } from "./test-prompt-renderer.js";

export interface MediaTestServer {
  readonly agent: UserAgent;
  readonly clock: MediaClock;
  readonly recordings: MemoryRecordingStore;
  readonly renderer: TestPromptRenderer;
  /** Every event of every leg, in order. */
  readonly events: MediaEvent[];
  /** The next call answered, as the flow-facing leg media. */
  nextLeg(): Promise<SipLegMedia>;
  uri(user: string): string;
  close(): Promise<void>;
}

/**
 * Switchboard's side of a media test on loopback: a user agent that answers every call (PCMU preferred, as the
 * server does) and wraps it in a `SipLegMedia` with an in-memory recording store and the test renderer, for
 * tenant `t1`. The test drives the legs; a `SipTestClient` is the caller.
 */
export async function startMediaTestServer(options: { readonly codecs?: CallOptions["codecs"] } = {}): Promise<MediaTestServer> {
  const clock = new MediaClock();
  const base = 20000 + 2 * Math.floor(Math.random() * 4500);
  const ports = new RtpPortPool({ host: "127.0.0.1", min: base, max: base + 99 });
  const recordings = new MemoryRecordingStore();
  const renderer = new TestPromptRenderer({ recordings, tenantId: "t1" });
  const events: MediaEvent[] = [];
  const ready: SipLegMedia[] = [];
  const waiting: ((leg: SipLegMedia) => void)[] = [];
  let count = 0;
  const agent = await UserAgent.listen({
    host: "127.0.0.1",
    port: 0,
    onInvite: (incoming) => {
      void Call.answer(incoming, { ports, clock, ...(options.codecs ? { codecs: options.codecs } : {}) }).then((result) => {
        if (!result.ok) return;
        count += 1;
        const leg = new SipLegMedia({
          call: result.call,
          legId: `leg-${count}`,
          tenantId: "t1",
          callId: `call-${count}`,
          renderer,
          recordings,
          scheduler: systemScheduler,
        });
        leg.onEvent((event) => events.push(event));
        const waiter = waiting.shift();
        if (waiter) waiter(leg);
        else ready.push(leg);
      });
    },
  });
  return {
    agent,
    clock,
    recordings,
    renderer,
    events,
    nextLeg: () => {
      const leg = ready.shift();
      return leg ? Promise.resolve(leg) : new Promise((resolve) => waiting.push(resolve));
    },
    uri: (user) => `sip:${user}@127.0.0.1:${agent.port}`,
    close: async () => {
      await agent.close();
      clock.stop();
    },
  };
}
