import type { LiveCall } from "@switchboard/protocol";
import { SwitchboardError } from "@switchboard/sdk";
import { useCallback, useEffect, useRef, useState } from "react";
import { isAbort } from "../../shell/errors/describe-error.js";
import { useClient } from "../../shell/session/session-context.js";

export const LIVE_POLL_MS = 2_000;

export interface LiveCallState {
  /** The call now; null while it is not connected (or not ours to see), undefined before the first answer. */
  call: LiveCall | null | undefined;
  /** Why the last read failed (not a 404: that is a call not connected); the last state stays meanwhile. */
  error: unknown;
  /** Takes the state a control answered with (null: the call left its connection). */
  set: (call: LiveCall | null) => void;
}

/**
 * A call's live state, read every 2 s while `active` (and the tab is visible). A control's answer wins
 * over a read that started before it, so that a slow read does not undo what the user just saw happen.
 */
export function useLiveCall(callId: string, active: boolean): LiveCallState {
  const client = useClient();
  const [call, setCall] = useState<LiveCall | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  // Bumped by every control's answer: a read begun before it is stale.
  const generation = useRef(0);

  const set = useCallback((next: LiveCall | null) => {
    generation.current += 1;
    setCall(next);
    setError(undefined);
  }, []);

  useEffect(() => {
    if (!active) {
      setCall(null);
      return;
    }
    const controller = new AbortController();
    let reading = false;
    const read = async () => {
      if (reading || globalThis.document?.visibilityState === "hidden") return;
      reading = true;
      const started = generation.current;
      try {
        const live = await client.telephony.liveCalls.get(callId, { signal: controller.signal });
        if (generation.current === started) {
          setCall(live);
          setError(undefined);
        }
      } catch (e) {
        if (controller.signal.aborted || isAbort(e) || generation.current !== started) return;
        // 404: not connected (ringing, in the flows, over); 403: not one we may control. Either way, nothing to show.
        if (e instanceof SwitchboardError && (e.status === 404 || e.status === 403)) {
          setCall(null);
          setError(undefined);
        } else {
          setError(e);
        }
      } finally {
        reading = false;
      }
    };
    void read();
    const timer = globalThis.setInterval(() => void read(), LIVE_POLL_MS);
    return () => {
      controller.abort();
      globalThis.clearInterval(timer);
    };
  }, [client, callId, active]);

  return { call, error, set };
}
