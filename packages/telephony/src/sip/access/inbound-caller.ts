import type { InboundTrunk } from "./trunk-matcher.js";

/** Who placed an incoming call, as the access check established it. */
export type InboundCaller =
  /**
   * A trunk, recognised by its source address (every trunk allowing it: the dialled number picks one) or by
   * answering a 407 with its account (then exactly that trunk).
   */
  | { readonly kind: "trunk"; readonly trunks: readonly InboundTrunk[]; readonly by: "address" | "digest" }
  /** An account that is not a trunk's (an agent's phone), authenticated by digest. */
  | { readonly kind: "user"; readonly username: string };
