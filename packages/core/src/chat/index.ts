export * from "./access.js";
export * from "./deps.js";
export * from "./messages.js";
export * from "./model.js";
export * from "./participants.js";
export * from "./ports.js";
export * from "./receipts.js";
export * from "./threads.js";
