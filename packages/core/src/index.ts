export * from "./chat/index.js";
export * from "./identity/index.js";
export * from "./kernel/index.js";
