export * from "./memory-sip-network.js";
export * from "./sip-test-client.js";
export * from "./sipp.js";
