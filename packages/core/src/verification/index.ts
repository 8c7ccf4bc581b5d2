export * from "./model.js";
export * from "./ports.js";
export * from "./verification.js";
