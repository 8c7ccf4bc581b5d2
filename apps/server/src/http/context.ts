import type { ChatDeps, IdentityDeps } from "@switchboard/core";
import type { Authenticator } from "./auth.js";

/** What the HTTP routes need: the core's dependencies, wired by the composition root. */
export interface RouteContext {
  readonly identity: IdentityDeps;
  readonly chat: ChatDeps;
  readonly authenticator: Authenticator;
}
