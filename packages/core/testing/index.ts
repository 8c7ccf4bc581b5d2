export * from "./chat-store.contract.js";
export * from "./identity-store.contract.js";
export * from "./memory-chat-store.js";
export * from "./memory-identity-store.js";
