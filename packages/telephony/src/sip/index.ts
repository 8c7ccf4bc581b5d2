export * from "./dialog/index.js";
export * from "./leg/index.js";
export * from "./message/index.js";
export * from "./transaction/index.js";
export * from "./transport/index.js";
export * from "./uri/index.js";
export * from "./user-agent.js";
