export * from "./inbound-access.js";
export * from "./inbound-caller.js";
export * from "./ip-network.js";
export * from "./scanner-ban.js";
export * from "./token-buckets.js";
export * from "./trunk-matcher.js";
