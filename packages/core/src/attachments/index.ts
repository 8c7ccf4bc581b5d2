export * from "./attachments.js";
export * from "./model.js";
export * from "./ports.js";
