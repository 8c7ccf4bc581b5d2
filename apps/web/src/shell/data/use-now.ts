import { useEffect, useState } from "react";

/** The current time, renewed every `intervalMs` while `enabled`: for countdowns and running clocks. */
export function useNow(intervalMs = 1000, enabled = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) return;
    setNow(Date.now());
    const timer = globalThis.setInterval(() => setNow(Date.now()), intervalMs);
    return () => globalThis.clearInterval(timer);
  }, [intervalMs, enabled]);
  return now;
}
