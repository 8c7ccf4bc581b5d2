export * from "./datagram.js";
export * from "./datagram-thread.js";
export * from "./port-pool.js";
export * from "./rtp-stream.js";
