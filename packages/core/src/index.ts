export * from "./attachments/index.js";
export * from "./chat/index.js";
export * from "./conversations/index.js";
export * from "./customers/index.js";
export * from "./identity/index.js";
export * from "./kernel/index.js";
export * from "./knowledge/index.js";
export * from "./verification/index.js";
