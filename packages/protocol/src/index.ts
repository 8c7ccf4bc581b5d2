export * from "./chat.js";
export * from "./common.js";
export * from "./identity.js";
export * from "./realtime.js";
