export * from "./branch.js";
export * from "./client-transaction.js";
export * from "./layer.js";
export * from "./model.js";
export * from "./server-transaction.js";
export * from "./timers.js";
