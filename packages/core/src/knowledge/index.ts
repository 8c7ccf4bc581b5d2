export * from "./knowledge.js";
export * from "./model.js";
export * from "./ports.js";
