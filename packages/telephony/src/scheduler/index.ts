export * from "./loop-lag.js";
export * from "./scheduler.js";
