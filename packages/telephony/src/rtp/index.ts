export * from "./audio/index.js";
export * from "./clock/index.js";
export * from "./dtmf/index.js";
export * from "./g711/index.js";
export * from "./jitter-buffer/index.js";
export * from "./packet/index.js";
export * from "./rtcp/index.js";
export * from "./socket/index.js";
