import type { TestCall } from "@switchboard/telephony/testing";

/** Polls until the check gives a value (calls and their records settle asynchronously). */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Samples the call receives from now on, for `ms`. */
export async function listen(call: TestCall, ms: number): Promise<Int16Array> {
  const from = call.recording().length;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return call.recording().subarray(from);
}

/** RMS level of the samples (0 for none). */
export function loudness(samples: Int16Array): number {
  let energy = 0;
  for (const s of samples) energy += s * s;
  return samples.length === 0 ? 0 : Math.sqrt(energy / samples.length);
}
