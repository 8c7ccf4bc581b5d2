import type { HangupCause } from "@switchboard/core";
import type { LegEnd } from "../sip/leg/model.js";

/**
 * A SIP leg's end as a call record keeps it. `reason` is the SIP cause (`bye`, `cancel`, `rejected`,
 * `timeout`, `ack-timeout`, `error`, `shutdown`) unless the platform hung up with a reason of its own.
 */
export function hangupCauseOf(end: LegEnd, platformReason?: string): HangupCause {
  const by = end.by === "local" ? "platform" : "party";
  return {
    by,
    ...(end.status === undefined ? {} : { status: end.status }),
    reason: by === "platform" && platformReason !== undefined ? platformReason : end.cause,
  };
}
