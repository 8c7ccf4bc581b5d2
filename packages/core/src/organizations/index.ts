export * from "./model.js";
export * from "./organizations.js";
export * from "./ports.js";
export * from "./visibility.js";
