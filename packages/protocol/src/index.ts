export * from "./chat.js";
export * from "./common.js";
export * from "./conversations.js";
export * from "./customers.js";
export * from "./identity.js";
export * from "./knowledge.js";
export * from "./realtime.js";
export * from "./resume-points.js";
