import { RealtimeClient, type RealtimeState } from "@switchboard/sdk";
import { useEffect, useState } from "react";
import { useSession } from "../session/session-context.js";

export interface Realtime {
  /** The signed-in user's socket; undefined before the first render's effect. */
  client: RealtimeClient | undefined;
  state: RealtimeState;
}

/**
 * The real-time socket of the signed-in user, open while the component is mounted. It reconnects by itself;
 * `state` says whether it is live, so a page can say so and fall back to polling.
 */
export function useRealtime(): Realtime {
  const { session } = useSession();
  const token = session?.token;
  const [realtime, setRealtime] = useState<Realtime>({ client: undefined, state: "closed" });

  useEffect(() => {
    if (!token) return;
    const client = new RealtimeClient({ baseUrl: globalThis.location.origin, token });
    const offState = client.on("state", (state) => setRealtime({ client, state }));
    setRealtime({ client, state: client.state });
    void client.connect().catch(() => {
      // Rejected only by close(): the component is gone.
    });
    return () => {
      offState();
      client.close();
    };
  }, [token]);

  return realtime;
}
