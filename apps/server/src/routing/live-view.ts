import type * as wire from "@switchboard/protocol";
import type { LiveView } from "./routing.js";

/** The supervisor's live view on the wire: for GET /v1/supervisor/live and the supervisor.live frame. */
export const liveView = (live: LiveView): wire.SupervisorLive => ({
  at: live.at.toISOString(),
  queues: live.queues.map((q) => ({
    id: q.queue.id,
    name: q.queue.name,
    waiting: q.waiting,
    longestWaitSeconds: q.longestWaitSeconds,
    serviceLevel: q.serviceLevel,
    agents: { ...q.agents },
  })),
  agents: live.agents.map((a) => ({
    id: a.record.identityId,
    name: a.name,
    presence: a.presence,
    load: a.load,
    capacity: a.record.settings.capacity,
  })),
});
