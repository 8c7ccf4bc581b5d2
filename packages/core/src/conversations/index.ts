export * from "./assignment.js";
export * from "./business-hours.js";
export * from "./conversations.js";
export * from "./deps.js";
export * from "./entry-points.js";
export * from "./model.js";
export * from "./ports.js";
export * from "./widget-sessions.js";
