export * from "./ntp-time.js";
export * from "./receiver-statistics.js";
export * from "./rtcp-attribute.js";
export * from "./rtcp-packet.js";
export * from "./rtcp-session.js";
