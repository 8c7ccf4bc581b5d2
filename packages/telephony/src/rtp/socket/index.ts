export * from "./port-pool.js";
export * from "./rtp-stream.js";
