import { describe, expect, it } from "vitest";
import { ManualTimers, MemoryCallLeg, MemoryMixer, ScriptedDialer } from "../../testing/memory-call-media.js";
import { MemoryVoicemailStore } from "../../testing/memory-voicemail-store.js";
import type { Audio } from "../calls/media.js";
import type { SpeechTranscriber, Transcript } from "../calls/recognition.js";
import { ManualClock } from "../kernel/clock.js";
import { DomainError } from "../kernel/domain-error.js";
import { type CallFlowDeps, runCallFlow } from "./engine.js";
import type { Mailbox, VoicemailMessage } from "./model.js";
import { voicemailEmails } from "./notifications.js";
import { FLOW_PROMPTS } from "./prompts.js";
import { DEFAULT_TRANSCRIPTION_TIMEOUT_MS, type VoicemailTranscription } from "./voicemail-transcription.js";

const TENANT = "tenant-1";
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** A transcriber the test answers for, one transcription at a time. */
class ControlledTranscriber implements SpeechTranscriber {
  readonly heard: Audio[] = [];
  #answer: { resolve: (t: Transcript | undefined) => void; reject: (e: unknown) => void } | undefined;

  transcribe(audio: Audio): Promise<Transcript | undefined> {
    this.heard.push(audio);
    return new Promise((resolve, reject) => {
      this.#answer = { resolve, reject };
    });
  }

  answer(transcript: Transcript | undefined): void {
    this.#answer?.resolve(transcript);
  }

  fail(error: unknown): void {
    this.#answer?.reject(error);
  }
}

function world(options: { transcription?: boolean; timeoutMs?: number } = {}) {
  const clock = new ManualClock("2026-03-02T15:00:00Z");
  const timers = new ManualTimers(clock);
  let next = 0;
  const voicemail = new MemoryVoicemailStore();
  const transcriber = new ControlledTranscriber();
  const audio = new Map<string, Audio>();
  const emails: ReturnType<typeof voicemailEmails> = [];
  const notified: VoicemailMessage[] = [];
  const errors: unknown[] = [];
  const mailbox: Mailbox = {
    id: "sales-box",
    tenantId: TENANT,
    name: "Sales",
    ownerUserId: null,
    greeting: null,
    maxMessageSeconds: 120,
    pinHash: null,
    notifyEmails: ["sales@northwind.test"],
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
  const transcription: VoicemailTranscription = {
    transcriber,
    recordings: { audio: async (tenantId, id) => (tenantId === TENANT ? audio.get(id) : undefined) },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    onError: (error) => errors.push(error),
  };
  const deps: CallFlowDeps = {
    dialer: new ScriptedDialer(),
    mixer: new MemoryMixer(),
    clock,
    timers,
    ids: { next: () => `id-${++next}` },
    autoAttendants: { getAutoAttendant: async () => undefined },
    queues: { getQueue: async () => undefined },
    voicemail,
    directory: { list: async () => [], find: async () => undefined },
    router: {
      enqueue: () => {
        throw new Error("no queues here");
      },
    },
    pins: { verify: async () => false },
    ...(options.transcription === false ? {} : { transcription }),
    onVoicemail: (message, box) => {
      notified.push(message);
      emails.push(...voicemailEmails(message, box, { companyName: "Northwind" }));
    },
  };
  /** A caller who leaves a message of `ms` in the sales mailbox; the call is over when `done` settles. */
  const leaveMessage = async (ms = 6_000) => {
    await voicemail.createMailbox(mailbox);
    const leg = new MemoryCallLeg("caller", TENANT);
    const done = runCallFlow(leg, { kind: "voicemail", mailboxId: mailbox.id }, deps, {
      tenantId: TENANT,
      callId: "call-1",
      caller: "+15557654321",
    });
    await settle();
    const recording = leg.speak(ms);
    audio.set(recording.id, new Int16Array((ms * 8) | 0).fill(1_000));
    await done;
    return { leg, recording };
  };
  return { voicemail, transcriber, timers, emails, notified, errors, leaveMessage };
}

describe("voicemail transcription", () => {
  it("transcribes the message after the call, keeps the transcript, and sends one email that carries it", async () => {
    const w = world();
    const { leg, recording } = await w.leaveMessage(6_000);
    // The call is over: the caller heard the goodbye while the transcriber was still at work.
    expect(leg.transcript.at(-1)).toBe(FLOW_PROMPTS.messageSaved.text);
    expect(leg.hungUp).toBeDefined();
    expect(w.transcriber.heard).toHaveLength(1);
    expect(w.transcriber.heard[0]).toHaveLength(48_000);
    expect(w.notified).toEqual([]);
    const [left] = await w.voicemail.listMessages(TENANT, "sales-box");
    expect(left).toMatchObject({ recordingId: recording.id, transcript: null });

    w.transcriber.answer({ text: "hi this is john calling about my order please call me back", confidence: 0.71 });
    await settle();
    const transcript = "hi this is john calling about my order please call me back";
    expect(await w.voicemail.getMessage(TENANT, left?.id ?? "")).toMatchObject({ transcript });
    expect(w.notified).toEqual([{ ...left, transcript }]);
    expect(w.emails).toHaveLength(1);
    expect(w.emails[0]?.to).toBe("sales@northwind.test");
    expect(w.emails[0]?.text).toContain(`"${transcript}"`);
    expect(w.errors).toEqual([]);
  });

  it("sends the email without a transcript when the transcriber fails, and says why", async () => {
    const w = world();
    await w.leaveMessage();
    const failure = new DomainError("speech.transcription_unavailable", "unavailable", "pocketsphinx died");
    w.transcriber.fail(failure);
    await settle();
    const [left] = await w.voicemail.listMessages(TENANT, "sales-box");
    expect(left?.transcript).toBeNull();
    expect(w.notified).toEqual([left]);
    expect(w.emails).toHaveLength(1);
    expect(w.emails[0]?.text).not.toContain('"');
    expect(w.errors).toEqual([failure]);
  });

  it("sends the email without a transcript when the transcriber heard no words", async () => {
    const w = world();
    await w.leaveMessage();
    w.transcriber.answer(undefined);
    await settle();
    expect(w.notified).toMatchObject([{ transcript: null }]);
    expect(w.emails).toHaveLength(1);
    expect(w.errors).toEqual([]);
  });

  it("does not hold the email past the deadline: a late transcript is dropped", async () => {
    const w = world({ timeoutMs: 60_000 });
    await w.leaveMessage();
    w.timers.advance(59_999);
    await settle();
    expect(w.notified).toEqual([]);
    w.timers.advance(1);
    await settle();
    expect(w.notified).toMatchObject([{ transcript: null }]);
    expect(w.errors).toMatchObject([{ code: "voicemail.transcription_timed_out" }]);
    w.transcriber.answer({ text: "too late", confidence: 0.9 });
    await settle();
    expect(w.notified).toHaveLength(1);
    expect((await w.voicemail.listMessages(TENANT, "sales-box"))[0]?.transcript).toBeNull();
    expect(w.timers.pending).toBe(0);
  });

  it("waits five minutes by default, and frees its timer once transcribed", async () => {
    const w = world();
    await w.leaveMessage();
    expect(w.timers.pending).toBe(1);
    w.timers.advance(DEFAULT_TRANSCRIPTION_TIMEOUT_MS - 1);
    w.transcriber.answer({ text: "just in time", confidence: 0.6 });
    await settle();
    expect(w.notified).toMatchObject([{ transcript: "just in time" }]);
    expect(w.timers.pending).toBe(0);
  });

  it("sends nothing for a message deleted before it was transcribed", async () => {
    const w = world();
    await w.leaveMessage();
    const [left] = await w.voicemail.listMessages(TENANT, "sales-box");
    await w.voicemail.deleteMessage(TENANT, left?.id ?? "");
    w.transcriber.answer({ text: "call me back", confidence: 0.8 });
    await settle();
    expect(w.notified).toEqual([]);
    expect(w.emails).toEqual([]);
  });

  it("keeps a message marked heard meanwhile heard", async () => {
    const w = world();
    await w.leaveMessage();
    const [left] = await w.voicemail.listMessages(TENANT, "sales-box");
    await w.voicemail.updateMessage({ ...(left as VoicemailMessage), heard: true });
    w.transcriber.answer({ text: "call me back", confidence: 0.8 });
    await settle();
    expect(await w.voicemail.getMessage(TENANT, left?.id ?? "")).toMatchObject({ heard: true, transcript: "call me back" });
  });

  it("without a transcriber, tells of the message at once, as before", async () => {
    const w = world({ transcription: false });
    await w.leaveMessage();
    expect(w.transcriber.heard).toEqual([]);
    expect(w.notified).toMatchObject([{ transcript: null }]);
    expect(w.emails).toHaveLength(1);
  });
});
