import type { CallEvent, CallRecord } from "@switchboard/protocol";
import type { SwitchboardClient } from "@switchboard/sdk";
import { encodeWav } from "@switchboard/speech";
import { concat, FRAME_SAMPLES, silence, sineTone, tonePower } from "@switchboard/telephony";
import { SipTestClient, type TestCall, toneShare } from "@switchboard/telephony/testing";
import { eventually } from "./call-checks.js";

/**
 * Helpers for tests that drive call flows (auto attendants, call queues, voicemail) over real SIP: phones
 * that answer with a tone of their own, prompts uploaded as tones so a test can tell by ear which one
 * plays, and the record and timeline of one particular call among calls running at the same time.
 */

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How much of the last `windowMs` of what the call received is a tone at `frequency`: its share of the
 * power, and its own level (RMS of the tone alone: about 6,400 for a sine of peak 9,000 all along the
 * window, 3,000 for one there a fifth of it; 0 when absent).
 * The share alone cannot tell a tone that just stopped from one still playing: silence adds no power.
 */
function recentTone(call: TestCall, frequency: number, windowMs: number): { share: number; level: number } {
  const heard = call.recording();
  const recent = heard.subarray(Math.max(0, heard.length - windowMs * 8));
  let power = 0;
  let frames = 0;
  for (let offset = 0; offset + FRAME_SAMPLES <= recent.length; offset += FRAME_SAMPLES) {
    power += tonePower(recent.subarray(offset, offset + FRAME_SAMPLES), frequency);
    frames++;
  }
  return { share: toneShare(recent, frequency), level: frames === 0 ? 0 : Math.sqrt(power / frames) };
}

/**
 * Whether the call hears a tone at `frequency` within `timeoutMs`: most of the power of its last 200 ms,
 * for a good part of them (so a tone that has just stopped is not heard again). False rather than a
 * throw, so the test's own `expect` says which tone was missing.
 */
export async function hearsTone(call: TestCall, frequency: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tone = recentTone(call, frequency, 200);
    if (tone.share > 0.5 && tone.level > 3_000) return true;
    await pause(40);
  }
  return false;
}

/**
 * Whether the call hears a tone at `frequency` and then hears it stop (a tone prompt played to its end)
 * within `timeoutMs`: a key pressed after it reaches whatever listens once the prompt is over.
 */
export async function hearsToneToTheEnd(call: TestCall, frequency: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  if (!(await hearsTone(call, frequency, timeoutMs))) return false;
  while (Date.now() < deadline) {
    if (recentTone(call, frequency, 200).level < 500) return true;
    await pause(40);
  }
  return false;
}

/** A tone as a WAV file (8 kHz, 16-bit, mono), to upload as a prompt a test recognizes by its frequency. */
export function toneWav(frequency: number, durationMs: number): Blob {
  return new Blob([new Uint8Array(encodeWav(sineTone(frequency, durationMs, 9_000)))], { type: "audio/wav" });
}

export interface PhoneAccount {
  readonly username: string;
  readonly password: string;
}

/**
 * A softphone registered at `registrar` (`sip:127.0.0.1:<port>`) with the account, that answers every
 * call and plays `tone` (Hz) into it, so the caller can tell whose phone it reached.
 */
export async function answeringPhone(registrar: string, account: PhoneAccount, tone: number): Promise<SipTestClient> {
  const phone = await SipTestClient.start();
  const registered = await phone.register(registrar, { username: account.username, password: account.password });
  if (!registered.ok) throw new Error(`${account.username} could not register: ${JSON.stringify(registered)}`);
  phone.acceptCalls({ play: concat(silence(200), sineTone(tone, 60_000, 9_000)) });
  return phone;
}

/** Unregisters (so its extension no longer rings a contact that is gone) and closes the phone. */
export async function putAway(phone: SipTestClient | undefined): Promise<void> {
  if (!phone) return;
  await phone.unregister().catch(() => undefined);
  await phone.close();
}

export interface EndedCall {
  readonly record: CallRecord;
  readonly events: CallEvent[];
}

/**
 * The record and whole timeline of the call the test client placed (matched on its SIP Call-ID, so calls
 * running at the same time do not mix), once the server has ended it and written all of it.
 */
export async function endedCallOf(admin: SwitchboardClient, call: TestCall, timeoutMs = 15_000): Promise<EndedCall> {
  const sipCallId = call.leg.callId;
  return eventually(async () => {
    const page = await admin.telephony.calls.list({ limit: 200 });
    const record = page.items.find((c) => c.legs.some((l) => l.role === "caller" && l.sipCallId === sipCallId));
    if (record?.state !== "ended") {
      await pause(200);
      return undefined;
    }
    return { record, events: await admin.telephony.calls.allEvents(record.id) };
  }, timeoutMs);
}

/** The data of the timeline's events of one type (`flow.call_queue`, `flow.person` ...), in order. */
export function stepsOf(events: readonly CallEvent[], type: string): Record<string, unknown>[] {
  return events.filter((e) => e.type === type).map((e) => e.data as Record<string, unknown>);
}
