/**
 * Runs `task(0) … task(count - 1)` with at most `limit` in flight; rejects on the first failure
 * (after the tasks in flight have finished, so nothing runs on behind the caller's back).
 */
export async function forEachLimit(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < count && failure === undefined) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
  if (failure) throw failure.error;
}

/** Prints `<label> n/total` about every tenth of the way, and at the end. */
export function progressPrinter(label: string, total: number, print: (line: string) => void): (done: number) => void {
  const step = Math.max(1, Math.ceil(total / 10));
  const startedAt = performance.now();
  return (done) => {
    if (done % step !== 0 && done !== total) return;
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    print(`  ${label} ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} (${seconds} s)`);
  };
}
