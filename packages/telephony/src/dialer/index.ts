export * from "./sip-dialer.js";
