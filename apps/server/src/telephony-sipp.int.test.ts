import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runSipp, SIPP, type SippRun, sippAvailable } from "@switchboard/telephony/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startSipServer } from "../testing/harness.js";
import { DEMO_NUMBER } from "./demo/northwind.js";

/**
 * sipp (Debian's sip-tester, an independent SIP implementation) calls the demo number of a running server
 * over UDP on loopback, playing speech (g711a.pcap, PCMA) and keys as RFC 2833 events from its captures
 * (`dtmf_2833_*.pcap`, under ./pcap/ in a scratch directory): the calls complete, and every key sipp sent
 * shows on the call's timeline. Then a short load: 20 calls at 10 per second, none failed, none left over.
 *
 * Outside CI the file is skipped when sipp is missing; under CI=true sipp is required (the test command
 * installs it).
 */

const required = process.env.CI === "true";

let running: RunningServer;
let scratch: string;

const sipTarget = () => `127.0.0.1:${running.server.telephony?.port ?? 0}`;

/** The admin API, as JSON. */
const api = <T>(path: string) => running.admin.http.request<T>({ method: "GET", path });

interface CallSummary {
  readonly id: string;
  readonly state: string;
  readonly result: string | null;
  readonly to: string;
  readonly hangupCause: { readonly by: string } | null;
  readonly legs: readonly { readonly role: string; readonly protocol: string; readonly answeredAt: string | null }[];
}

async function callIds(): Promise<Set<string>> {
  const page = await api<{ items: CallSummary[] }>("/v1/calls?limit=200");
  return new Set(page.items.map((c) => c.id));
}

/** The calls made since `before` was taken, once every one of them has ended and its record is written. */
async function newCalls(before: Set<string>, expected: number, timeoutMs = 15_000): Promise<CallSummary[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await api<{ items: CallSummary[] }>("/v1/calls?limit=200");
    const calls = page.items.filter((c) => !before.has(c.id));
    if (calls.length >= expected && calls.every((c) => c.state === "ended")) return calls;
    if (Date.now() > deadline)
      throw new Error(`expected ${expected} ended calls, have ${calls.map((c) => `${c.id} ${c.state}`).join(", ") || "none"}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The keys pressed on a call, in order, from its timeline. */
async function keysPressed(callId: string): Promise<string[]> {
  const events = await api<{ items: { type: string; data: { key?: string } }[] }>(`/v1/calls/${callId}/events`);
  return events.items.filter((e) => e.type === "key.pressed").map((e) => e.data.key ?? "?");
}

function expectClean(run: SippRun, calls: number): void {
  if (run.exitCode !== 0 || run.failedCalls !== 0) console.log(run.output.slice(-4000));
  expect(run.failedCalls).toBe(0);
  expect(run.successfulCalls).toBe(calls);
  expect(run.exitCode).toBe(0);
}

/**
 * sipp's own `uac_pcap` scenario (`sipp -sd uac_pcap`: 8 s of PCMA speech, then the key 1 as RFC 2833
 * events, BYE) with more keys after the 1, each from its capture and in the captures' order, so that their
 * RTP sequence numbers and timestamps keep rising as a phone's would.
 */
function uacPcapWithKeys(keys: readonly string[]): string {
  const dump = spawnSync(SIPP, ["-sd", "uac_pcap"], { encoding: "latin1" });
  // sipp exits 99 ("no call processed") after dumping.
  const scenario = dump.stdout;
  if (!scenario.includes("<scenario")) throw new Error(`sipp -sd uac_pcap failed (exit ${dump.status}): ${dump.stderr}`);
  const keyOne = /(<nop>\s*<action>\s*<exec play_pcap_audio="pcap\/dtmf_2833_1\.pcap"\/>\s*<\/action>\s*<\/nop>)/;
  if (!keyOne.test(scenario)) throw new Error("sipp's uac_pcap no longer plays pcap/dtmf_2833_1.pcap");
  const more = keys
    .map(
      (capture) =>
        `\n  <pause milliseconds="1500"/>\n  <nop>\n    <action>\n      <exec play_pcap_audio="pcap/dtmf_2833_${capture}.pcap"/>\n    </action>\n  </nop>`,
    )
    .join("");
  const file = path.join(scratch, "uac_pcap_keys.xml");
  writeFileSync(file, scenario.replace(keyOne, `$1${more}`), "latin1");
  return file;
}

describe.skipIf(!sippAvailable() && !required)("sipp calls the demo number of a running server", () => {
  beforeAll(async () => {
    if (!sippAvailable()) throw new Error(`sipp is required under CI=true (${SIPP}; Debian package sip-tester)`);
    scratch = mkdtempSync(path.join(tmpdir(), "switchboard-sipp-"));
    running = await startSipServer();
  }, 30_000);

  afterAll(async () => {
    await running?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("completes uac_pcap with speech and RFC 2833 keys, and every key sipp sent is on the call's timeline", async () => {
    const before = await callIds();
    const run = await runSipp({
      scenario: uacPcapWithKeys(["2", "4", "pound"]),
      target: sipTarget(),
      extraArgs: ["-s", DEMO_NUMBER],
      calls: 1,
      timeoutSeconds: 40,
    });
    expectClean(run, 1);

    const [call] = await newCalls(before, 1);
    expect(call).toMatchObject({ to: DEMO_NUMBER, result: "completed", hangupCause: { by: "caller" } });
    expect(call?.legs[0]).toMatchObject({ role: "caller", protocol: "udp" });
    expect(call?.legs[0]?.answeredAt).not.toBeNull();
    expect(await keysPressed(call?.id ?? "")).toEqual(["1", "2", "4", "#"]);
    const events = await api<{ items: { type: string }[] }>(`/v1/calls/${call?.id}/events`);
    // The greeting played (until the first key interrupted it), and the keys were read back.
    expect(events.items.filter((e) => e.type === "play.ended").length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("takes 20 calls of sipp's uac_pcap at 10 per second with none failed, each hearing its key", async () => {
    const before = await callIds();
    const run = await runSipp({
      scenario: "uac_pcap",
      target: sipTarget(),
      extraArgs: ["-s", DEMO_NUMBER],
      calls: 20,
      rate: 10,
      timeoutSeconds: 60,
    });
    expectClean(run, 20);

    const calls = await newCalls(before, 20);
    expect(calls).toHaveLength(20);
    for (const call of calls) {
      expect(call).toMatchObject({ result: "completed", hangupCause: { by: "caller" } });
      expect(await keysPressed(call.id)).toEqual(["1"]);
    }
    // Every call is over on the SIP side too: no call, no RTP session left behind.
    expect(running.server.telephony?.stats().activeCalls).toBe(0);
  }, 90_000);
});
